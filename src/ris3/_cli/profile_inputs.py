"""Files that come with own data in ``ris3 profile``: region names and boundaries.

Each reader checks its file and says in one line what is wrong and what is
allowed; nothing is dropped silently.
"""

from __future__ import annotations

import gzip
import json
import zlib
from pathlib import Path
from typing import Any

from ris3._validation import short_list
from ris3.errors import DataFileError


def read_names(path: Path, codes: set[str]) -> dict[str, str]:
    """Region code -> name from a table with columns ``code`` and ``name``.

    Codes are read as text (leading zeros kept). Duplicated codes, or a file
    that names none of the data's regions, are errors.
    """
    from ris3._cli.common import read_input

    t = read_input(path, ["code"])
    if not {"code", "name"} <= set(map(str, t.columns)):
        raise DataFileError(
            f"--names {str(path)!r} must have the columns code,name; got "
            f"{short_list(map(str, t.columns), 6)}"
        )
    t = t.dropna(subset=["code"])
    t["code"] = t["code"].astype(str).str.strip()
    dup = t.loc[t["code"].duplicated(), "code"]
    if len(dup):
        raise DataFileError(f"--names {str(path)!r} names a code twice: {short_list(dup, 5)}")
    names = {c: str(n) for c, n in zip(t["code"], t["name"]) if str(n) != "nan"}
    if not set(names) & codes:
        raise DataFileError(
            f"--names {str(path)!r} names none of the regions of --data (e.g. "
            f"{short_list(sorted(codes), 3)}; the file has {short_list(sorted(names), 3)})"
        )
    return names


def read_geometry(path: Path, codes: set[str]) -> dict[str, Any]:
    """Read a GeoJSON FeatureCollection (``.geojson``, ``.json``, optionally gzipped).

    The region code may be in any property (``NUTS_ID``, ``id``, ``code``...);
    the one that matches most of the data's codes is used by the maps.
    """
    try:
        raw = Path(path).read_bytes()
        if raw[:2] == b"\x1f\x8b":
            raw = gzip.decompress(raw)
        geo = json.loads(raw)
    except (ValueError, EOFError, zlib.error) as exc:
        raise DataFileError(f"--geometry {str(path)!r} is not GeoJSON: {exc}") from exc
    if not isinstance(geo, dict) or geo.get("type") != "FeatureCollection":
        kind = geo.get("type") if isinstance(geo, dict) else type(geo).__name__
        raise DataFileError(
            f"--geometry {str(path)!r} must be a GeoJSON FeatureCollection; got {kind!r}"
        )
    feats = geo.get("features") or []
    if not feats:
        raise DataFileError(f"--geometry {str(path)!r} has no features")
    from ris3.errors import InputError
    from ris3.report.maps import geometry_keys

    try:
        geometry_keys(geo, codes)
    except InputError as exc:
        raise DataFileError(f"--geometry {str(path)!r}: {exc}") from exc
    return geo
