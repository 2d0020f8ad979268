"""Tests of the report building blocks: page, tables, charts, maps, static export."""

from __future__ import annotations

import json
import re

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ris3.errors import ConventionError, InputError
from ris3.report import charts, maps
from ris3.report.export import save_chart, save_charts
from ris3.report.html import Column, Page, html_table, spec_json, to_records


def _square(x: float, y: float) -> dict:
    return {
        "type": "Polygon",
        "coordinates": [[[x, y], [x + 1, y], [x + 1, y + 1], [x, y + 1], [x, y]]],
    }


def _values(spec: dict, part: dict | None = None) -> list[dict]:
    """Inline values of a (sub)spec's data, following Altair's named datasets."""
    data = (part if part is not None else spec)["data"]
    return data["values"] if "values" in data else spec["datasets"][data["name"]]


def _geo(codes_xy: dict[str, tuple[float, float]]) -> dict:
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": _square(x, y),
                "properties": {"NUTS_ID": c, "NAME_LATN": f"Name {c}"},
            }
            for c, (x, y) in codes_xy.items()
        ],
    }


# ---------------------------------------------------------------- html


def test_to_records_turns_missing_into_null_and_keeps_precision():
    df = pd.DataFrame({"a": [1 / 3, np.nan], "b": ["x", None]})
    rec = to_records(df)
    assert rec[0]["a"] == 1 / 3  # no rounding
    assert rec[1] == {"a": None, "b": None}


def test_spec_json_cannot_close_the_script_tag():
    text = spec_json({"title": "</script><script>alert(1)</script>"})
    assert "</script" not in text
    assert json.loads(text)["title"] == "</script><script>alert(1)</script>"


def test_html_table_formats_escapes_and_marks_missing():
    df = pd.DataFrame({"code": ["<b>", "C13"], "lq": [7.0797, np.nan], "hl": [True, False]})
    out = html_table(
        df,
        [Column("code", "Code"), Column("lq", "LQ", "{:.2f}", True)],
        table_id="t",
        highlight="hl",
    )
    assert "&lt;b&gt;" in out and "<b>" not in out
    assert '<td class="num">7.08</td>' in out
    assert 'title="missing or confidential">&ndash;' in out
    assert out.count('class="hl"') == 1


def test_page_inlines_bundle_and_specs_and_names_charts():
    import altair as alt

    page = Page("T & co", subtitle="s")
    sec = page.section("a", "Alpha")
    sec.chart("one", alt.Chart({"values": [{"x": 1}]}).mark_point().encode(x="x:Q"))
    sec.notice("missing piece")
    html = page.to_html(bundle="/*BUNDLE*/")
    assert "<script>/*BUNDLE*/</script>" in html
    assert "T &amp; co" in html
    specs = json.loads(re.search(r'id="ris3-specs">(.*?)</script>', html).group(1))
    assert list(specs) == ["one"]
    assert _values(specs["one"]) == [{"x": 1}]
    assert 'id="chart-one"' in html and 'class="notice"' in html
    assert not re.search(r"(src|href)=[\"']?(https?:)?//", html)  # nothing loaded from the web


def test_page_rejects_two_charts_with_one_name():
    import altair as alt

    page = Page("t")
    c = alt.Chart({"values": [{"x": 1}]}).mark_point().encode(x="x:Q")
    page.section("a", "A").chart("same", c)
    page.section("b", "B").chart("same", c)
    with pytest.raises(ValueError, match="two charts are named 'same'"):
        page.specs()


def test_javascript_bundle_defines_the_three_globals():
    from ris3.report._assets import javascript_bundle

    js = javascript_bundle()
    for name in ("window.vegaEmbed", "window.vega", "window.vegaLite"):
        assert name in js
    assert "</script" not in js.lower()


# ---------------------------------------------------------------- maps


def test_lq_map_classes_values_and_outline():
    # E1 has no row: drawn as context because it lies among the regions with data
    geo = _geo({"A1": (10, 50), "B1": (12, 50), "C1": (14, 50), "D1": (16, 50), "E1": (13, 50)})
    values = pd.DataFrame(
        {"geo": ["A1", "B1", "C1", "D1"], "lq": [0.49, 1.0, 5.0, np.nan]}
    )  # E1 absent
    spec = maps.lq_map(values, geo, highlight="B1", title="LQ of X").to_dict()
    props = {f["properties"]["id"]: f["properties"] for f in _values(spec)}
    assert props["A1"]["class"] == "below 0.5"
    assert props["B1"]["class"] == "1 to 1.25"  # LQ = 1 counts as specialised
    assert props["C1"]["class"] == "5 or more"
    assert props["D1"]["value"] is None and props["D1"]["class"] is None
    assert "value" not in props["E1"]
    assert props["A1"]["value"] == 0.49  # exact value kept for the tooltip
    outline = spec["layer"][2]
    assert "B1" in json.dumps(outline["transform"])
    assert spec["title"]["text"] == "LQ of X"


def test_lq_map_leaves_out_far_away_regions_and_says_so():
    geo = _geo({"A1": (10, 50), "B1": (12, 51), "FAR": (-60, 5)})  # FAR: French Guiana-like
    values = pd.DataFrame({"geo": ["A1", "B1", "FAR"], "lq": [1.0, 2.0, 3.0]})
    spec = maps.lq_map(values, geo).to_dict()
    ids = [f["properties"]["id"] for f in _values(spec)]
    assert ids == ["A1", "B1"]
    assert "1 outermost region(s) with data not shown" in spec["title"]["subtitle"]


def test_lq_map_errors():
    geo = _geo({"A1": (10, 50)})
    with pytest.raises(InputError, match="values has no column 'lq'"):
        maps.lq_map(pd.DataFrame({"geo": ["A1"], "x": [1.0]}), geo)
    with pytest.raises(InputError, match="duplicated regions in 'geo': 'A1'"):
        maps.lq_map(pd.DataFrame({"geo": ["A1", "A1"], "lq": [1.0, 2.0]}), geo)
    with pytest.raises(InputError, match="none of the region codes in column 'geo'"):
        maps.lq_map(pd.DataFrame({"geo": ["ZZ9"], "lq": [1.0]}), geo)
    with pytest.raises(InputError, match="geometry must be a GeoJSON FeatureCollection"):
        maps.lq_map(pd.DataFrame({"geo": ["A1"], "lq": [1.0]}), {"type": "Feature"})


def test_peers_map_groups_and_ranks():
    geo = _geo({"A1": (10, 50), "B1": (12, 50), "C1": (14, 50)})
    spec = maps.peers_map(
        pd.DataFrame({"peer": ["C1", "B1"], "rank": [1, 2]}), geo, highlight="A1"
    ).to_dict()
    props = {f["properties"]["id"]: f["properties"] for f in _values(spec)}
    assert props["A1"]["group"] == "region"
    assert (props["C1"]["group"], props["C1"]["rank"]) == ("peer", 1)
    assert (props["B1"]["group"], props["B1"]["rank"]) == ("peer", 2)
    with pytest.raises(InputError, match="peers has no column 'peer'"):
        maps.peers_map(pd.DataFrame({"geo": ["B1"]}), geo, highlight="A1")


# ---------------------------------------------------------------- charts


def _layer_values(spec: dict) -> list[list[dict]]:
    return [layer.get("data", {}).get("values") for layer in spec["layer"]]


def test_specialisation_chart_keeps_top_by_lq_and_counts_dropped():
    t = pd.DataFrame(
        {
            "activity": ["a", "b", "c", "d"],
            "activity_name": ["A", "B", "C", "D"],
            "lq_europe": [0.5, 3.0, 2.0, 0.0],
            "lq_country": [0.7, np.nan, 1.5, 0.0],
        }
    )
    spec = charts.specialisation_chart(t, top=3).to_dict()
    pts = _values(spec, spec["layer"][1])
    assert spec["layer"][1]["encoding"]["y"]["sort"] == ["B", "C", "A"]
    assert {(p["activity"], p["reference"]): p["lq"] for p in pts} == {
        ("b", "Europe"): 3.0,
        ("c", "Europe"): 2.0,
        ("c", "country"): 1.5,
        ("a", "Europe"): 0.5,
        ("a", "country"): 0.7,
    }
    assert "1 value(s) missing or 0 not shown" in spec["title"]["subtitle"]


def test_portfolio_chart_quadrant_lines_and_dropped_rows():
    t = pd.DataFrame(
        {
            "name": ["Hotels", "Textiles", "Gone"],
            "lq": [6.1, 0.2, 0.0],
            "growth": [0.1, -0.2, 0.0],
            "employment": [30000.0, 800.0, 0.0],
        }
    )
    spec = charts.portfolio_chart(t, national_growth=0.0136).to_dict()
    lines = spec["layer"][0]["layer"]
    assert _values(spec, lines[0]) == [{"x": 1.0}]
    assert _values(spec, lines[1]) == [{"y": 0.0136}]
    bubbles = spec["layer"][2]
    assert [r["name"] for r in _values(spec, bubbles)] == ["Hotels", "Textiles"]
    assert bubbles["encoding"]["x"]["scale"]["type"] == "log"
    assert "1 activities with LQ 0 or missing values not shown" in spec["title"]["subtitle"]
    with pytest.raises(InputError, match="national_growth must be a number; got 'x'"):
        charts.portfolio_chart(t, national_growth="x")
    with pytest.raises(InputError, match="no row with LQ > 0"):
        charts.portfolio_chart(t.iloc[[2]], national_growth=0.0)


def test_shift_share_chart_total_tick_is_the_sum_of_components():
    t = pd.DataFrame(
        {
            "name": ["A", "A", "A", "B", "B", "B"],
            "component": ["national", "mix", "regional"] * 2,
            "value": [10.0, -3.0, 1.5, 2.0, 5.0, -1.0],
        }
    )
    spec = charts.shift_share_chart(t).to_dict()
    ticks = {r["name"]: r["total"] for r in _values(spec, spec["layer"][1])}
    assert ticks == {"A": 8.5, "B": 6.0}
    assert spec["layer"][0]["encoding"]["y"]["sort"] == ["A", "B"]


def test_network_chart_places_edges_at_node_positions():
    n = pd.DataFrame(
        {
            "activity": ["a", "b", "c"],
            "name": ["A", "B", "C"],
            "x": [0.0, 1.0, 2.0],
            "y": [0.0, 1.0, 4.0],
            "specialised": [True, False, True],
        }
    )
    e = pd.DataFrame({"source": ["a", "b"], "target": ["c", "c"], "proximity": [0.4, 0.2]})
    spec = charts.network_chart(n, e).to_dict()
    edges = _values(spec, spec["layer"][0])
    assert edges[0] == {
        "source": "a",
        "target": "c",
        "x": 0.0,
        "y": 0.0,
        "x2": 2.0,
        "y2": 4.0,
        "weight": 0.4,
    }
    labels = [r["node"] for r in _values(spec, spec["layer"][2])]
    assert labels == ["a", "c"]
    with pytest.raises(InputError, match="edges name nodes not in nodes\\['activity'\\]: 'zz'"):
        charts.network_chart(
            n, pd.DataFrame({"source": ["a"], "target": ["zz"], "proximity": [1.0]})
        )


def test_opportunities_chart_medians_and_top_flags():
    t = pd.DataFrame(
        {
            "name": ["A", "B", "C", "D"],
            "feasibility": [0.2, 0.5, 0.4, np.nan],
            "attractiveness": [1.0, -0.5, 0.3, 0.9],
        }
    )
    spec = charts.opportunities_chart(t, top=2).to_dict()
    rules = spec["layer"][0]["layer"]
    assert _values(spec, rules[0]) == [{"x": 0.4}]  # median of 0.2, 0.5, 0.4
    assert _values(spec, rules[1]) == [{"y": 0.3}]
    dots = _values(spec, spec["layer"][2])
    assert {d["name"]: d["top"] for d in dots} == {"A": True, "B": True, "C": False}
    assert "1 candidates with missing values not shown" in spec["title"]["subtitle"]
    quad = [_values(spec, layer)[0]["t"] for layer in spec["layer"][1]["layer"]]
    assert quad[0] == "feasible and attractive"


def test_diversity_chart_one_panel_per_measure_region_highlighted():
    t = pd.DataFrame(
        {
            "region": ["A", "B", "A", "B"],
            "name": ["Alpha", "Beta"] * 2,
            "measure": ["entropy", "entropy", "related variety", "related variety"],
            "value": [3.1, 2.4, 1.0, 2.0],
        }
    )
    spec = charts.diversity_chart(t, highlight="A").to_dict()
    assert [p["title"] for p in spec["concat"]] == ["entropy", "related variety"]
    focus = {r["region"]: r["focus"] for r in _values(spec, spec["concat"][0])}
    assert focus == {"A": True, "B": False}


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: charts.specialisation_chart(pd.DataFrame({"x": [1]})), "table has no column"),
        (
            lambda: charts.specialisation_chart(
                pd.DataFrame(columns=["activity", "activity_name", "lq_europe", "lq_country"])
            ),
            "table is empty: nothing to draw",
        ),
        (lambda: charts.shift_share_chart([1, 2]), "table must be a pandas DataFrame; got list"),
        (
            lambda: charts.opportunities_chart(
                pd.DataFrame({"name": ["a"], "feasibility": [0.1], "attractiveness": [0.2]}), top=0
            ),
            "top must be an integer >= 1; got 0",
        ),
    ],
)
def test_chart_input_errors(call, message):
    with pytest.raises(InputError, match=re.escape(message)):
        call()


# ---------------------------------------------------------------- export


def test_save_chart_formats(tmp_path):
    import altair as alt

    c = (
        alt.Chart({"values": [{"x": 1, "y": 2}]})
        .mark_point()
        .encode(x="x:Q", y="y:Q")
        .properties(title="Tiny")
    )
    svg = save_chart(c, tmp_path / "c.svg").read_text()
    assert svg.startswith("<svg") and "Tiny" in svg
    assert (save_chart(c, tmp_path / "c.png")).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert (save_chart(c, tmp_path / "sub" / "c.pdf")).read_bytes()[:5] == b"%PDF-"
    with pytest.raises(
        ConventionError, match="file extension must be one of 'png', 'svg', 'pdf'; got 'gif'"
    ):
        save_chart(c, tmp_path / "c.gif")
    with pytest.raises(ConventionError, match="format must be one of"):
        save_charts([("c", c)], tmp_path, ["jpg"])
    with pytest.raises(
        InputError, match="chart must be an Altair chart or a Vega-Lite dict; got int"
    ):
        save_chart(3, tmp_path / "x.svg")


def test_save_charts_png_is_the_rasterised_svg(tmp_path):
    import altair as alt
    import vl_convert as vlc

    c = alt.Chart({"values": [{"x": 1, "y": 2}]}).mark_point().encode(x="x:Q", y="y:Q")
    paths = save_charts([("c", c)], tmp_path, ["svg", "png"])
    assert [p.name for p in paths] == ["c.svg", "c.png"]
    direct = vlc.vegalite_to_png(c.to_dict(), scale=2.0)
    assert (tmp_path / "c.png").read_bytes() == direct


def test_report_package_imports_no_plotting_libraries():
    import subprocess
    import sys

    code = (
        "import sys, ris3, ris3.report; f = ris3.profile; w = ris3.write_profile; "
        "heavy = [m for m in ('altair', 'vl_convert', 'playwright', 'networkx') "
        "if m in sys.modules]; print(f.__module__, heavy)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "ris3.report.region_profile []"


# ---------------------------------------------------------------- properties


@settings(max_examples=60, deadline=None)
@given(st.lists(st.one_of(st.floats(allow_nan=True, allow_infinity=False), st.none()), max_size=20))
def test_to_records_round_trips_through_json_exactly(values):
    df = pd.DataFrame({"v": pd.array(values, dtype="float64") if values else []})
    rec = to_records(df)
    back = json.loads(spec_json({"values": rec}))["values"]
    assert len(back) == len(values)
    for got, want in zip(back, values):
        if want is None or np.isnan(want):
            assert got["v"] is None
        else:
            assert got["v"] == want  # bit-for-bit, no rounding


@settings(max_examples=40, deadline=None)
@given(st.lists(st.floats(min_value=0, max_value=1e6), min_size=2, max_size=12, unique=True))
def test_lq_map_classes_are_monotone_in_the_lq(lqs):
    codes = [f"R{i:02d}" for i in range(len(lqs))]
    geo = _geo({c: (10 + i * 0.5, 50) for i, c in enumerate(codes)})
    spec = maps.lq_map(pd.DataFrame({"geo": codes, "lq": lqs}), geo).to_dict()
    order = maps._class_labels()
    props = {f["properties"]["id"]: f["properties"] for f in _values(spec)}
    ranked = sorted(codes, key=lambda c: props[c]["value"])
    idx = [order.index(props[c]["class"]) for c in ranked]
    assert idx == sorted(idx)
    for c in codes:  # LQ >= 1 is never in a class below 1, LQ < 1 never above
        assert (props[c]["value"] >= 1) == (order.index(props[c]["class"]) >= 3)
