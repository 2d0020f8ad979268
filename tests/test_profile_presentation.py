"""How the profile shows its numbers: maps in context, labels that do not overlap, the headline.

Checked on the real profiles (bundled GISCO geometry): the peer map of FR10
shows mainland France with FR10 well inside it; an outermost region (La
Réunion) never shrinks Europe into a corner; the labels kept in the
opportunities scatter and the network do not overlap on the chart's own
scales; the headline is one sentence with the region's real top LQs.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from ris3 import datasets
from ris3.report import build_page
from ris3.report.maps import map_extent, peers_map
from ris3.report.region_profile import profile

MAINLAND_FRANCE = (-4.8, 42.3, 8.2, 51.1)  # lon0, lat0, lon1, lat1


@pytest.fixture(scope="module")
def fr10():
    return profile("FR10")


@pytest.fixture(scope="module")
def at33():
    return profile("AT33")


def _contains(outer, inner) -> bool:
    return (
        outer[0] <= inner[0]
        and outer[1] <= inner[1]
        and outer[2] >= inner[2]
        and outer[3] >= inner[3]
    )


def test_fr10_peer_map_shows_mainland_france_with_fr10_inside(fr10):
    from ris3.report.maps import lq_map

    peers = peers_map(fr10.peers, fr10.geometry, highlight="FR10")
    lq = lq_map(fr10.lq_map, fr10.geometry, highlight="FR10")
    for chart in (peers, lq):
        ext = map_extent(chart)
        assert _contains(ext, MAINLAND_FRANCE), ext
        # FR10 (about 2.9E 48.7N) is far from every edge: at least a fifth of the extent
        fx = (2.9 - ext[0]) / (ext[2] - ext[0])
        fy = (48.7 - ext[1]) / (ext[3] - ext[1])
        assert 0.2 < fx < 0.8 and 0.2 < fy < 0.8, (fx, fy)


def test_an_outermost_region_does_not_shrink_europe():
    geo = datasets.geometry("eu-sbs")
    with_far_peer = peers_map(
        pd.DataFrame({"peer": ["FRY4", "DE21"], "rank": [1, 2]}), geo, highlight="FR10"
    )
    ext = map_extent(with_far_peer)
    assert ext[0] > -32 and ext[1] > 27  # La Réunion (55E 21S) is not in the main view
    assert _contains(ext, MAINLAND_FRANCE)
    assert "La Réunion (FRY4)" in with_far_peer.to_dict()["title"]["subtitle"]
    far_target = peers_map(pd.DataFrame({"peer": ["FR10"], "rank": [1]}), geo, highlight="FRY4")
    spec = far_target.to_dict()
    assert "hconcat" in spec and spec["hconcat"][1]["title"]["text"] == "Inset: La Réunion"
    assert _contains(map_extent(far_target), MAINLAND_FRANCE)


def _label_boxes(spec: dict, field: str, font: float, align: str, dx: float, dy: float):
    """Pixel boxes of the drawn labels from the chart's own scale domains and size."""
    layers = spec["layer"]
    text = next(
        layer
        for layer in layers
        if (layer.get("mark", {}) == "text" or layer.get("mark", {}).get("type") == "text")
        and layer.get("encoding", {}).get("text", {}).get("field") == field
    )
    data = text["data"]
    rows = data["values"] if "values" in data else spec["datasets"][data["name"]]
    enc = text["encoding"]
    xd, yd = enc["x"]["scale"]["domain"], enc["y"]["scale"]["domain"]
    xf, yf = enc["x"]["field"], enc["y"]["field"]
    w, h = spec["width"], spec["height"]
    boxes = []
    for r in rows:
        px = (r[xf] - xd[0]) / (xd[1] - xd[0]) * w + dx
        py = h - (r[yf] - yd[0]) / (yd[1] - yd[0]) * h + dy
        width = 0.55 * font * len(str(r[field]))
        left = px - width / 2 if align == "center" else px
        boxes.append((left, py - font / 2, left + width, py + font / 2))
    return boxes


def _overlaps(boxes) -> int:
    n = 0
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            n += a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]
    return n


def test_labels_do_not_overlap_in_the_scatter_and_the_network(at33):
    specs = build_page(at33).specs()
    opp = _label_boxes(specs["opportunities"], "short", 10, "left", 6, 0)
    net = _label_boxes(specs["network"], "node", 9, "center", 0, -9)
    assert len(opp) >= 3 and len(net) >= 5
    assert _overlaps(opp) == 0 and _overlaps(net) == 0

    def subtitle(spec: dict) -> str:
        sub = spec["title"]["subtitle"]
        return sub if isinstance(sub, str) else " ".join(sub)

    sub = subtitle(specs["network"])
    n_spec = int((at33.specialisation["lq_europe"] >= 1).sum())
    assert f"labelled: {len(net)} of the region's {n_spec} specialisations" in sub
    assert f"Labelled: {len(opp)} of the top 10" in subtitle(specs["opportunities"])


def test_headline_is_one_sentence_with_the_top_lqs(at33):
    from ris3.report.page import headline

    text = headline(at33)
    top = at33.top_specialisations(3)
    assert text.startswith("In 2014, AT33 Tirol was most specialised in I55 ")
    for code, lq in zip(top["activity"], top["lq_europe"]):
        assert f"{code} " in text and f"(LQ {lq:.2f})" in text
    assert "against Europe" in text and text.endswith(".")
    assert re.search(r"\b(True|False|nan|None)\b", text) is None
    html = build_page(at33).to_html()
    assert '<p class="lead">In 2014, AT33 Tirol was most specialised' in html
    assert np.isfinite(top["lq_europe"]).all()
