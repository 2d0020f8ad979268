"""Maps of NUTS regions drawn from GeoJSON with Vega-Lite (no tile server).

Both maps take the geometry as a GeoJSON ``FeatureCollection`` (a dict, e.g.
from ``ris3.datasets.geometry("eu-sbs")``) whose features carry the region
code in ``properties[id_property]`` and, optionally, a name.

The view shows the regions in context, never cropped to the regions that
have values: with NUTS codes (``id_property="NUTS_ID"``) it is mainland
Europe and the islands close to it; outermost regions far from it (Canarias,
Azores, Madeira, the French overseas departments) are left out of the main
map and named in the subtitle, and when the highlighted region is one of
them it is drawn in an inset next to the map. US metro areas
(``id_property="cbsa_code"``) are drawn on the Albers USA projection with
Alaska and Hawaii moved in (Puerto Rico is named and left out). Any other
geometry is drawn whole.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from ris3._validation import short_list
from ris3.errors import InputError

__all__ = ["LQ_CLASSES", "geometry_keys", "lq_map", "map_extent", "peers_map"]

# class limits for LQ maps: a diverging scale centred on LQ = 1
LQ_CLASSES: tuple[float, ...] = (0.5, 0.8, 1.0, 1.25, 2.0, 5.0)
_LQ_COLOURS = ("#2166ac", "#67a9cf", "#d1e5f0", "#fddbc7", "#ef8a62", "#b2182b", "#67001f")
# frame of the European mainland and islands close to it (lon, lat of box centres)
_FRAME = (-25.0, 34.0, 45.0, 72.0)
# the 50 states on the Albers USA projection (Puerto Rico, south of 18.8N, is left out)
_US_FRAME = (-180.0, 18.8, -60.0, 72.0)
_NAME_PROPERTIES = ("NAME_LATN", "name", "NAME", "NAME_ENGL", "label")
_NO_DATA = "#d9d9d9"


def _features(geometry: Mapping[str, Any]) -> list[dict[str, Any]]:
    if not isinstance(geometry, Mapping) or geometry.get("type") != "FeatureCollection":
        got = geometry.get("type") if isinstance(geometry, Mapping) else type(geometry).__name__
        raise InputError(f"geometry must be a GeoJSON FeatureCollection (dict); got {got!r}")
    feats = list(geometry.get("features") or [])
    if not feats:
        raise InputError("geometry has no features")
    return feats


def _bbox_centre(geom: Mapping[str, Any]) -> tuple[float, float]:
    coords = np.asarray(_flatten(geom.get("coordinates", [])), dtype=float).reshape(-1, 2)
    lo, hi = coords.min(axis=0), coords.max(axis=0)
    return float((lo[0] + hi[0]) / 2), float((lo[1] + hi[1]) / 2)


def _flatten(c: Any) -> list[float]:
    if c and isinstance(c[0], int | float):
        return list(c[:2])
    out: list[float] = []
    for part in c:
        out.extend(_flatten(part))
    return out


def _round(c: Any, digits: int) -> Any:
    if c and isinstance(c[0], int | float):
        return [round(float(v), digits) for v in c]
    return [_round(part, digits) for part in c]


def _frame(id_property: str) -> tuple[float, float, float, float] | None:
    if id_property == "NUTS_ID":
        return _FRAME
    if id_property == "cbsa_code":
        return _US_FRAME
    return None


def _map_features(
    geometry: Mapping[str, Any],
    values: Mapping[str, dict[str, Any]],
    *,
    id_property: str,
    name_property: str,
    keep: set[str],
    digits: int = 3,
) -> tuple[list[dict[str, Any]], list[str], list[dict[str, Any]]]:
    """Features of the view with ``values[id]`` merged into properties.

    Returns the features of the main map (every region inside the frame, with
    or without values: the context), the names of the regions with values
    left out (outside the frame) and the features of an inset (regions in
    ``keep`` outside the frame, with their neighbours).
    """
    frame = _frame(id_property)
    feats = _features(geometry)
    codes = []
    for f in feats:
        code = (f.get("properties") or {}).get(id_property)
        if code is None:
            raise InputError(f"geometry features need the property {id_property!r}")
        codes.append(str(code))
    centres = np.array([_bbox_centre(f["geometry"]) for f in feats])
    if frame is None:
        in_frame = np.ones(len(feats), dtype=bool)
    else:
        lon0, lat0, lon1, lat1 = frame
        in_frame = (
            (centres[:, 0] >= lon0)
            & (centres[:, 0] <= lon1)
            & (centres[:, 1] >= lat0)
            & (centres[:, 1] <= lat1)
        )
    has_data = np.array([c in values for c in codes])
    far_kept = np.array([c in keep for c in codes]) & ~in_frame
    near = np.zeros(len(feats), dtype=bool)
    for i in np.flatnonzero(far_kept):  # the inset: the far region and its neighbours
        near |= np.all(np.abs(centres - centres[i]) <= 4.0, axis=1) & ~in_frame

    def feature(i: int) -> dict[str, Any]:
        f = feats[i]
        geom = {
            "type": f["geometry"]["type"],
            "coordinates": _round(f["geometry"]["coordinates"], digits),
        }
        props = f.get("properties") or {}
        merged = {"id": codes[i], "name": props.get(name_property, codes[i])}
        merged.update(values.get(codes[i], {}))
        return {"type": "Feature", "geometry": geom, "properties": merged}

    main = [feature(int(i)) for i in np.flatnonzero(in_frame)]
    inset = [feature(int(i)) for i in np.flatnonzero(near)]
    left_out = [
        f"{(feats[i].get('properties') or {}).get(name_property, codes[i])} ({codes[i]})"
        for i in np.flatnonzero(has_data & ~in_frame & ~near)
    ]
    return main, left_out, inset


def map_extent(chart: Any) -> tuple[float, float, float, float]:
    """Longitude and latitude bounds (lon0, lat0, lon1, lat1) of a map's main view.

    The projection is fitted to these features, so this is what the map shows.

    Examples
    --------
    >>> sq = {"type": "Polygon", "coordinates": [[[2, 48], [3, 48], [3, 49], [2, 48]]]}
    >>> geo = {"type": "FeatureCollection", "features": [
    ...     {"type": "Feature", "geometry": sq, "properties": {"NUTS_ID": "FR10"}}]}
    >>> map_extent(lq_map(pd.DataFrame({"geo": ["FR10"], "lq": [1.0]}), geo))
    (2.0, 48.0, 3.0, 49.0)
    """
    spec = chart.to_dict()
    if "hconcat" in spec:
        spec = dict(spec["hconcat"][0], datasets=spec.get("datasets", {}))
    data = spec["data"]
    feats = data["values"] if "values" in data else spec["datasets"][data["name"]]
    pts = np.asarray(
        [_flatten(f["geometry"]["coordinates"]) for f in feats for _ in [0]], dtype=object
    )
    xy = np.concatenate([np.asarray(p, dtype=float).reshape(-1, 2) for p in pts])
    lo, hi = xy.min(axis=0), xy.max(axis=0)
    return float(lo[0]), float(lo[1]), float(hi[0]), float(hi[1])


def geometry_keys(geometry: Mapping[str, Any], codes: Any) -> tuple[str, str]:
    """Return the feature properties holding the region code and name of a geometry.

    The code property is the one whose values match most of ``codes``; the
    name property the first of NAME_LATN, name, NAME, NAME_ENGL, label
    present (else the code property).

    Raises
    ------
    InputError
        No property of the features holds any of ``codes``.

    Examples
    --------
    >>> geo = {"type": "FeatureCollection", "features": [{"type": "Feature",
    ...     "geometry": None, "properties": {"code": "R1", "name": "One"}}]}
    >>> geometry_keys(geo, {"R1", "R2"})
    ('code', 'name')
    """
    feats = _features(geometry)
    wanted = {str(c) for c in codes}
    hits: dict[str, int] = {}
    for f in feats:
        for k, v in (f.get("properties") or {}).items():
            if str(v) in wanted:
                hits[k] = hits.get(k, 0) + 1
    if not hits:
        props = sorted({k for f in feats[:50] for k in (f.get("properties") or {})})
        raise InputError(
            f"no property of the geometry's features holds a region code of the data (e.g. "
            f"{short_list(sorted(wanted), 3)}); properties: {short_list(props, 8)}"
        )
    best = max(hits.values())
    usual = [k for k in ("NUTS_ID", "cbsa_code", "id", "code") if hits.get(k) == best]
    id_property = usual[0] if usual else max(hits, key=lambda k: hits[k])
    props0 = {k for f in feats[:50] for k in (f.get("properties") or {})}
    name_property = next((k for k in _NAME_PROPERTIES if k in props0), id_property)
    return id_property, name_property


def _check_codes(df: pd.DataFrame, region: str, geometry_ids: set[str], what: str) -> None:
    unknown = sorted(set(df[region].astype(str)) - geometry_ids)
    if len(unknown) == len(set(df[region].astype(str))):
        raise InputError(
            f"none of the {what} codes in column {region!r} is in the geometry "
            f"(e.g. {short_list(unknown, 5)}); are they NUTS codes of the same version?"
        )


def _projection(id_property: str = "NUTS_ID", feats: Any = None) -> Any:
    import altair as alt

    if id_property == "cbsa_code":
        return alt.Projection(type="albersUsa")
    if id_property == "NUTS_ID" or not feats:
        # Lambert azimuthal equal-area centred on 10E 52N, as EPSG:3035
        return alt.Projection(type="azimuthalEqualArea", rotate=[-10, -52, 0])
    xy = np.asarray([_bbox_centre(f["geometry"]) for f in feats])
    lon, lat = np.median(xy, axis=0)
    return alt.Projection(type="azimuthalEqualArea", rotate=[-float(lon), -float(lat), 0])


def _outline(alt: Any, highlight: str | None, proj: dict[str, Any] | None = None) -> list[Any]:
    if highlight is None:
        return []
    return [
        alt.Chart()
        .transform_filter(alt.datum["properties"]["id"] == highlight)
        .mark_geoshape(fill=None, stroke="#000000", strokeWidth=2.2)
        .project(**(proj or _projection().to_dict()))
    ]


def _with_inset(
    alt: Any, main: Any, layers: list[Any], inset: list[dict[str, Any]], highlight: str | None
) -> Any:
    """Return ``main`` with a small map of the highlighted far-away region beside it."""
    if not inset or highlight is None:
        return main
    name = next((f["properties"]["name"] for f in inset if f["properties"]["id"] == highlight), "")
    proj = {"type": "mercator"}
    small = alt.layer(
        *[layer.project(**proj) for layer in layers], data={"values": inset}
    ).properties(width=150, height=150, title=alt.Title(f"Inset: {name}", fontSize=11))
    return alt.hconcat(main, small)


def lq_map(
    values: pd.DataFrame,
    geometry: Mapping[str, Any],
    *,
    region: str = "geo",
    value: str = "lq",
    highlight: str | None = None,
    estimated: str | None = "estimated",
    title: str = "Location quotient",
    id_property: str = "NUTS_ID",
    name_property: str = "NAME_LATN",
    width: int = 440,
    height: int = 430,
) -> Any:
    """Choropleth of a location quotient by region, one region outlined.

    Parameters
    ----------
    values : DataFrame
        One row per region: ``region`` (NUTS code) and ``value`` (the LQ, >= 0;
        NaN = missing or confidential, drawn grey as "no data").
    geometry : dict
        GeoJSON FeatureCollection of the regions.
    region, value : str
        Column names in ``values``.
    highlight : str, optional
        Code of the region to outline.
    estimated : str or None
        Boolean column of ``values`` marking estimates (drawn with a dashed
        outline and named in the tooltip); ignored when absent.
    title : str
        Chart title.
    id_property, name_property : str
        Feature properties holding the region code and its name.

    Returns
    -------
    altair.LayerChart
        Colours in classes around 1 (limits :data:`LQ_CLASSES`); tooltips give
        the exact LQ.

    Examples
    --------
    >>> square = {"type": "Polygon", "coordinates": [[[10, 50], [11, 50], [11, 51], [10, 50]]]}
    >>> geo = {"type": "FeatureCollection", "features": [
    ...     {"type": "Feature", "geometry": square, "properties": {"NUTS_ID": "XX11"}}]}
    >>> chart = lq_map(pd.DataFrame({"geo": ["XX11"], "lq": [2.5]}), geo, highlight="XX11")
    >>> chart.to_dict()["layer"][0]["mark"]["type"]
    'geoshape'
    """
    import altair as alt

    for col in (region, value):
        if col not in values.columns:
            raise InputError(
                f"values has no column {col!r}; available: {short_list(map(str, values.columns))}"
            )
    if values[region].duplicated().any():
        dup = values.loc[values[region].duplicated(), region]
        raise InputError(f"values has duplicated regions in {region!r}: {short_list(dup, 5)}")
    ids = {str((f.get("properties") or {}).get(id_property)) for f in _features(geometry)}
    _check_codes(values, region, ids, "region")
    labels = _class_labels()
    lq = pd.to_numeric(values[value], errors="coerce").to_numpy(dtype=float)
    cls = np.searchsorted(np.asarray(LQ_CLASSES), lq, side="right")
    est = (
        values[estimated].fillna(False).astype(bool).to_numpy()
        if estimated is not None and estimated in values.columns
        else np.zeros(len(values), dtype=bool)
    )
    vals = {
        str(r): {"value": None, "class": None, "estimated": bool(e)}
        if np.isnan(v)
        else {"value": float(v), "class": labels[k], "estimated": bool(e)}
        for r, v, k, e in zip(values[region], lq, cls, est)
    }
    keep = {highlight} if highlight else set()
    feats, left_out, inset = _map_features(
        geometry, vals, id_property=id_property, name_property=name_property, keep=keep
    )
    data: dict[str, Any] = {"values": feats}
    proj = _projection(id_property, feats).to_dict()
    tooltip = [
        alt.Tooltip("properties.name:N", title="Region"),
        alt.Tooltip("properties.id:N", title="Code"),
        alt.Tooltip("properties.value:Q", title="LQ", format=".3f"),
        alt.Tooltip("properties.estimated:N", title="Estimate"),
    ]
    base = (
        alt.Chart()
        .mark_geoshape(fill=_NO_DATA, stroke="#ffffff", strokeWidth=0.3)
        .encode(tooltip=tooltip[:2])
        .project(**proj)
    )
    coloured = (
        alt.Chart()
        .transform_filter("isValid(datum.properties.value)")
        .mark_geoshape(stroke="#ffffff", strokeWidth=0.3)
        .encode(
            color=alt.Color(
                "properties.class:N",
                title="LQ",
                scale=alt.Scale(domain=labels, range=list(_LQ_COLOURS)),
                legend=alt.Legend(symbolType="square", orient="left"),
            ),
            tooltip=tooltip,
        )
        .project(**proj)
    )
    dashed = (
        alt.Chart()
        .transform_filter("datum.properties.estimated && isValid(datum.properties.value)")
        .mark_geoshape(filled=False, stroke="#222222", strokeWidth=0.8, strokeDash=[2, 2])
        .encode(tooltip=tooltip)
        .project(**proj)
    )
    sub = ["Grey: no data (missing or confidential)."]
    sub += _left_out_note(left_out, "with data")
    if est.any():
        sub.append("Dashed outline: estimates.")
    layers = [base, coloured, *([dashed] if est.any() else []), *_outline(alt, highlight, proj)]
    main = alt.layer(*layers, data=data).properties(
        title=alt.Title(title, subtitle=" ".join(sub)), width=width, height=height
    )
    return _with_inset(alt, main, layers, inset, highlight)


def _left_out_note(left_out: list[str], what: str) -> list[str]:
    if not left_out:
        return []
    shown = ", ".join(left_out[:4]) + (", ..." if len(left_out) > 4 else "")
    return [f"{len(left_out)} outermost region(s) {what} not shown (far from the map: {shown})."]


def _class_labels() -> list[str]:
    lims = LQ_CLASSES
    return (
        [f"below {lims[0]:g}"]
        + [f"{a:g} to {b:g}" for a, b in zip(lims[:-1], lims[1:])]
        + [f"{lims[-1]:g} or more"]
    )


def peers_map(
    peers: pd.DataFrame,
    geometry: Mapping[str, Any],
    *,
    highlight: str,
    peer: str = "peer",
    rank: str | None = "rank",
    title: str = "Peer regions",
    id_property: str = "NUTS_ID",
    name_property: str = "NAME_LATN",
    width: int = 440,
    height: int = 430,
) -> Any:
    """Map of a region and its peer regions.

    Parameters
    ----------
    peers : DataFrame
        One row per peer region: ``peer`` (NUTS code) and optionally ``rank``
        (1 = most similar).
    geometry : dict
        GeoJSON FeatureCollection of the regions.
    highlight : str
        The region whose peers these are (outlined and coloured apart).

    Returns
    -------
    altair.LayerChart

    Examples
    --------
    >>> sq = lambda x: {"type": "Polygon", "coordinates": [[[x, 50], [x + 1, 50], [x, 51], [x, 50]]]}
    >>> geo = {"type": "FeatureCollection", "features": [
    ...     {"type": "Feature", "geometry": sq(10), "properties": {"NUTS_ID": "A1"}},
    ...     {"type": "Feature", "geometry": sq(12), "properties": {"NUTS_ID": "B1"}}]}
    >>> chart = peers_map(pd.DataFrame({"peer": ["B1"], "rank": [1]}), geo, highlight="A1")
    >>> spec = chart.to_dict()
    >>> [f["properties"]["group"] for f in spec["datasets"][spec["data"]["name"]]]
    ['region', 'peer']
    """
    import altair as alt

    if peer not in peers.columns:
        raise InputError(
            f"peers has no column {peer!r}; available: {short_list(map(str, peers.columns))}"
        )
    ids = {str((f.get("properties") or {}).get(id_property)) for f in _features(geometry)}
    _check_codes(peers, peer, ids, "peer")
    ranks = (
        peers[rank] if rank and rank in peers.columns else pd.Series(np.arange(1, len(peers) + 1))
    )
    vals: dict[str, dict[str, Any]] = {
        str(p): {"group": "peer", "rank": int(k)} for p, k in zip(peers[peer], ranks)
    }
    vals[highlight] = {"group": "region", "rank": None}
    feats, left_out, inset = _map_features(
        geometry, vals, id_property=id_property, name_property=name_property, keep={highlight}
    )
    data: dict[str, Any] = {"values": feats}
    proj = _projection(id_property, feats).to_dict()
    base = (
        alt.Chart()
        .mark_geoshape(fill="#eeeeee", stroke="#ffffff", strokeWidth=0.3)
        .encode(tooltip=[alt.Tooltip("properties.name:N", title="Region")])
        .project(**proj)
    )
    coloured = (
        alt.Chart()
        .transform_filter("isValid(datum.properties.group)")
        .mark_geoshape(stroke="#ffffff", strokeWidth=0.3)
        .encode(
            color=alt.Color(
                "properties.group:N",
                title=None,
                scale=alt.Scale(domain=["region", "peer"], range=["#d95f02", "#1b9e77"]),
                legend=alt.Legend(orient="left"),
            ),
            tooltip=[
                alt.Tooltip("properties.name:N", title="Region"),
                alt.Tooltip("properties.id:N", title="Code"),
                alt.Tooltip("properties.rank:Q", title="Peer rank"),
            ],
        )
        .project(**proj)
    )
    sub = " ".join(
        [f"{len(peers)} peer regions, shown among all regions."]
        + _left_out_note(left_out, "among them")
    )
    layers = [base, coloured, *_outline(alt, highlight, proj)]
    main = alt.layer(*layers, data=data).properties(
        title=alt.Title(title, subtitle=sub), width=width, height=height
    )
    return _with_inset(alt, main, layers, inset, highlight)
