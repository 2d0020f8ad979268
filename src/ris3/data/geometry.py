"""Region boundaries: neighbours of NUTS regions from GISCO GeoJSON.

GISCO publishes NUTS boundaries as GeoJSON in which neighbouring polygons
are cut from one shared topology, so a common border is made of the very same
vertices in both polygons (at every scale, including 1:60 million). Two
regions are adjacent when they share at least one boundary segment (``rule=
"edge"``, like rook contiguity) or at least one boundary point (``rule=
"vertex"``, like queen contiguity). No geometry library is needed.

Source of the boundaries: (c) EuroGeographics for the administrative
boundaries; GISCO.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd

from ris3._validation import check_number, check_option
from ris3.errors import DataFileError, InputError

__all__ = ["nuts_adjacency"]


def _load(geojson: str | Path | Mapping[str, Any]) -> Mapping[str, Any]:
    if isinstance(geojson, Mapping):
        return geojson
    if not isinstance(geojson, str | Path):
        raise InputError(
            "geojson must be a path to a GeoJSON file or a parsed GeoJSON dict; "
            f"got {type(geojson).__name__}"
        )
    path = Path(geojson)
    if not path.exists():
        raise DataFileError(f"GeoJSON file {str(path)!r} does not exist")
    try:
        if path.name.lower().endswith(".gz"):
            with gzip.open(path, "rt", encoding="utf-8") as fh:
                return json.load(fh)  # type: ignore[no-any-return]
        with path.open(encoding="utf-8") as fh:
            return json.load(fh)  # type: ignore[no-any-return]
    except (OSError, EOFError, ValueError) as exc:
        raise DataFileError(f"cannot read GeoJSON {str(path)!r}: {exc}") from exc


def _rings(geometry: Mapping[str, Any]) -> Iterator[np.ndarray]:
    kind = geometry.get("type")
    coords: list[Any] = geometry.get("coordinates") or []
    if kind == "Polygon":
        polygons = [coords]
    elif kind == "MultiPolygon":
        polygons = coords
    else:
        raise InputError(f"region geometries must be Polygon or MultiPolygon; got {kind!r}")
    for polygon in polygons:
        for ring in polygon:
            yield np.asarray(ring, dtype=np.float64)[:, :2]


def nuts_adjacency(
    geojson: str | Path | Mapping[str, Any],
    level: int = 2,
    *,
    rule: Literal["edge", "vertex"] = "edge",
    decimals: int = 6,
) -> pd.DataFrame:
    """Pairs of neighbouring NUTS regions from GISCO boundaries.

    Parameters
    ----------
    geojson : path or dict
        A GISCO NUTS GeoJSON (``NUTS_RG_..._4326.geojson``, all levels or one
        level; ``.gz`` files are read too), with properties ``NUTS_ID``, ``LEVL_CODE`` and ``CNTR_CODE``.
    level : int, default 2
        NUTS level whose regions are paired.
    rule : {"edge", "vertex"}, default "edge"
        ``"edge"``: neighbours share at least one boundary segment;
        ``"vertex"``: at least one boundary point (also pairs regions that
        touch at a corner only).
    decimals : int, default 6
        Coordinates are compared after rounding to this many decimals.

    Returns
    -------
    DataFrame
        One row per neighbouring pair, ``region_a < region_b``, sorted:
        ``region_a``, ``region_b``, ``country_a``, ``country_b``,
        ``cross_border`` (the countries differ) and ``shared`` (number of
        shared segments or points). Islands have no row.

    Raises
    ------
    DataFileError
        The file is missing or not JSON.
    InputError
        Not a FeatureCollection, no region at ``level``, properties missing,
        geometry that is not a (multi)polygon.

    Examples
    --------
    >>> square = lambda x0: [[[x0, 0], [x0 + 1, 0], [x0 + 1, 1], [x0, 1], [x0, 0]]]
    >>> gj = {"type": "FeatureCollection", "features": [
    ...     {"properties": {"NUTS_ID": i, "LEVL_CODE": 2, "CNTR_CODE": i[:2]},
    ...      "geometry": {"type": "Polygon", "coordinates": square(x0)}}
    ...     for i, x0 in (("AT33", 0), ("DE21", 1), ("DE22", 3))]}
    >>> nuts_adjacency(gj)
      region_a region_b country_a country_b  cross_border  shared
    0     AT33     DE21        AT        DE          True       1
    """
    check_option("rule", rule, ("edge", "vertex"))
    check_number("level", level, low=0, high=3, integer=True)
    check_number("decimals", decimals, low=0, high=12, integer=True)
    doc = _load(geojson)
    features = doc.get("features") if isinstance(doc, Mapping) else None
    if not isinstance(features, list):
        raise InputError("geojson must be a GeoJSON FeatureCollection with a 'features' list")
    ids: list[str] = []
    countries: list[str] = []
    keys: list[np.ndarray] = []
    owner: list[np.ndarray] = []
    scale = 10.0**decimals
    for feature in features:
        props = feature.get("properties") or {}
        if "NUTS_ID" not in props:
            raise InputError(
                f"every feature needs a NUTS_ID property; got properties {sorted(props)}"
            )
        if props.get("LEVL_CODE", level) != level:
            continue
        code = str(props["NUTS_ID"])
        idx = len(ids)
        ids.append(code)
        countries.append(str(props.get("CNTR_CODE") or code[:2]))
        for ring in _rings(feature.get("geometry") or {}):
            q = np.round(ring * scale).astype(np.int64)
            if rule == "vertex":
                k = q
            else:
                a, b = q[:-1], q[1:]
                swap = (a[:, 0] > b[:, 0]) | ((a[:, 0] == b[:, 0]) & (a[:, 1] > b[:, 1]))
                lo = np.where(swap[:, None], b, a)
                hi = np.where(swap[:, None], a, b)
                k = np.hstack([lo, hi])
            keys.append(k)
            owner.append(np.full(len(k), idx, dtype=np.int64))
    if not ids:
        raise InputError(f"geojson has no region at level={level}")
    allkeys = np.vstack(keys)
    _, key_id = np.unique(allkeys, axis=0, return_inverse=True)
    pieces = pd.DataFrame({"key": key_id.ravel(), "region": np.concatenate(owner)})
    pieces = pieces.drop_duplicates()
    pairs = pieces.merge(pieces, on="key", suffixes=("_a", "_b"))
    ids_arr = np.asarray(ids)
    pairs = pairs[ids_arr[pairs["region_a"]] < ids_arr[pairs["region_b"]]]
    counted = pairs.groupby(["region_a", "region_b"]).size().rename("shared").reset_index()
    country = np.asarray(countries)
    out = pd.DataFrame(
        {
            "region_a": ids_arr[counted["region_a"]],
            "region_b": ids_arr[counted["region_b"]],
            "country_a": country[counted["region_a"]],
            "country_b": country[counted["region_b"]],
        }
    )
    out["cross_border"] = out["country_a"] != out["country_b"]
    out["shared"] = counted["shared"].to_numpy().astype(np.int64)
    return out.sort_values(["region_a", "region_b"], ignore_index=True)
