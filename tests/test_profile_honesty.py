"""Profiles of real regions never show a missing or confidential cell as a number.

For eight regions with many confidential cells, breaks in series or NUTS
conversions, every table of the profile is scanned: a cell that is missing in
the input (the bundled Eurostat SBS) must be missing in every column that is
computed from that cell's own value, unless the table marks it as an estimate.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

import ris3
from ris3.report.page import build_page

REGIONS = ["AT33", "IE06", "NL13", "FR10", "PL91", "EL41", "ES53", "UKI3"]
V = "persons_employed"

# table -> (key column, columns of the end year, of the start year, of both years)
CELL_COLUMNS = {
    "specialisation": (
        "activity",
        ["employment", "share", "lq_europe", "lq_country"],
        ["employment_start"],
        ["growth", "lq_change"],
    ),
    "shift_share": (
        "activity",
        ["value_end"],
        ["value_start"],
        ["change", "national_effect", "industry_mix_effect", "competitive_effect"],
    ),
    "opportunities": ("activity", ["value", "share", "lq"], [], []),
    "network_nodes": ("id", ["employment"], [], []),
}


@pytest.fixture(scope="module")
def sbs() -> pd.DataFrame:
    return ris3.datasets.load("eu-sbs", "regions")


@pytest.fixture(scope="module")
def profiles() -> dict[str, ris3.RegionProfile]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return {r: ris3.profile(r) for r in REGIONS}


def _missing(sbs: pd.DataFrame, region: str, year: int | None) -> set[str]:
    if year is None:
        return set()
    rows = sbs[(sbs["geo"] == region) & (sbs["year"] == year)]
    return set(rows.loc[rows[V].isna(), "nace_r2"])


def _offending(
    table: pd.DataFrame, key: str, cells: set[str], columns: list[str], allow_estimates: bool
) -> list[str]:
    """Rows of ``table`` for ``cells`` that show a number in any of ``columns``."""
    rows = table[table[key].astype(str).isin(cells)]
    if allow_estimates and "estimated" in rows.columns:
        rows = rows[~rows["estimated"].fillna(False).astype(bool)]
    bad = []
    for col in columns:
        if col in rows.columns:
            vals = pd.to_numeric(rows[col], errors="coerce")
            bad += [f"{a}:{col}={v}" for a, v in zip(rows[key], vals) if np.isfinite(v)]
    return bad


@pytest.mark.parametrize("region", REGIONS)
def test_no_missing_cell_shown_as_a_number(region, profiles, sbs) -> None:
    p = profiles[region]
    end = _missing(sbs, region, p.year)
    start = _missing(sbs, region, p.compare_year)
    assert end, f"{region} has no confidential cell in {p.year}: the scan would test nothing"
    bad = []
    for name, (key, at_end, at_start, both) in CELL_COLUMNS.items():
        t = p.tables().get(name)
        if t is None:
            continue
        # without estimate_suppressed nothing is filled: missing stays missing, always
        bad += [f"{name} {b}" for b in _offending(t, key, end, at_end, False)]
        bad += [f"{name} {b}" for b in _offending(t, key, start, at_start, False)]
        bad += [f"{name} {b}" for b in _offending(t, key, end | start, both, False)]
    assert bad == []
    # the map of Europe: regions whose cell of the mapped activity is missing have no LQ
    gaps = sbs[(sbs["year"] == p.year) & (sbs["nace_r2"] == p.map_activity) & sbs[V].isna()]
    shown = p.lq_map[p.lq_map["geo"].isin(set(gaps["geo"]))]
    assert shown["lq"].isna().all()


@pytest.mark.parametrize("region", REGIONS)
def test_missing_cells_are_never_ranked(region, profiles, sbs) -> None:
    p = profiles[region]
    end = _missing(sbs, region, p.year)
    opp = p.opportunities
    gaps = opp[opp["activity"].isin(end)]
    assert len(gaps) == len(end)  # listed, as unknown ...
    assert (gaps["quadrant"] == "unknown (confidential)").all()
    scores = gaps[[c for c in gaps.columns if c.startswith("score_")]]
    assert scores.isna().all().all()  # ... and never ranked
    # the page's top 10 shows none of them
    page = build_page(p).to_html()
    top = page.split('id="table-opportunities"', 1)[1].split("</table>", 1)[0]
    assert not any(f"<td>{a}</td>" in top for a in end)


def test_converted_regions_carry_a_banner_and_estimates(profiles) -> None:
    # PL91 Warszawski stoleczny and IE06 Eastern and Midland were split from older regions
    # (PL12, IE02) by the JRC population weights in every year; UKI3 Inner London - West
    # only up to 2012 (from UKI1): its 2014 figures are published, its 2009 ones are not
    for region, source in (("PL91", "PL12"), ("IE06", "IE02"), ("UKI3", "UKI1")):
        p = profiles[region]
        assert source in p.converted_from
        assert p.converted == (region != "UKI3")
        assert p.converted_years == ([2009] if region == "UKI3" else [2009, 2014])
        # every row rests on an estimate: its own cell, or the start of its growth
        assert p.specialisation["estimated"].all()
        html = build_page(p).to_html()
        assert '<p class="banner"' in html and source in html.split('class="banner"', 1)[1]
    for region in ("AT33", "NL13", "ES53"):
        p = profiles[region]
        assert not p.converted
        assert '<p class="banner"' not in build_page(p).to_html()


def test_breaks_are_marked_in_the_page(profiles) -> None:
    # every French cell of 2014 carries Eurostat's break flag (b)
    p = profiles["FR10"]
    spec = p.specialisation
    brk = spec["break_in_series"].fillna(False).astype(bool)
    assert brk.all()
    assert spec["growth"].isna().all()
    html = build_page(p).to_html()
    assert html.count("break in series: growth not shown") >= brk.sum()


def test_estimated_cells_are_marked_everywhere(sbs) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        p = ris3.profile("NL13", estimate_suppressed=True)
    end = _missing(sbs, "NL13", p.year)
    spec = p.specialisation.set_index("activity")
    filled = spec.loc[sorted(end)].dropna(subset=["employment"])
    assert len(filled) > 0 and filled["estimated"].all()
    # a cell not filled is still missing; a filled one is marked in every table
    for name, (key, at_end, _, _) in CELL_COLUMNS.items():
        t = p.tables().get(name)
        if t is not None:
            assert _offending(t, key, end, at_end, True) == [], name
    html = build_page(p).to_html()
    assert '<p class="banner"' in html and "Hollow markers: estimates" in html
