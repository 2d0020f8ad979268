"""Real published datasets bundled with ris3, for examples, tests and demos.

Every dataset is derived from published statistics by
``scripts/build_datasets.py`` (in the source repository) and ships inside the
package, so loading works offline. Each has tables (tidy, Parquet) and some
have boundaries (GeoJSON, EPSG:4326). Keep the attribution that
:func:`info` gives when you publish results made with them.

Importing this module is light: pandas is imported when a table is loaded.

Examples
--------
>>> from ris3 import datasets
>>> "eu-sbs" in datasets.list_datasets()
True
>>> datasets.info("eu-sbs")["attribution"]
'Source: Eurostat. Boundaries: (c) EuroGeographics for the administrative boundaries.'
"""

from __future__ import annotations

import functools
import gzip
import json
import zlib
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ris3._foreign_errors import parser_error_types
from ris3.errors import DataFileError, InputError

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["list_datasets", "load", "info", "geometry", "FILES"]

#: Folder holding one sub-folder per dataset.
FILES = Path(__file__).with_name("files")


def list_datasets() -> list[str]:
    """Names of the bundled datasets, sorted.

    Examples
    --------
    >>> "eu-sbs" in list_datasets()
    True
    """
    if not FILES.is_dir():
        return []
    return sorted(p.name for p in FILES.iterdir() if (p / "info.json").is_file())


@functools.cache
def _info(name: str) -> dict[str, Any]:
    path = FILES / name / "info.json"
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise DataFileError(f"bundled dataset {name!r} is damaged: {path}: {exc}") from exc


def _check_name(name: object) -> str:
    names = list_datasets()
    if not isinstance(name, str) or name not in names:
        raise InputError(f"name must be one of {', '.join(map(repr, names))}; got {name!r}")
    return name


def info(name: str) -> dict[str, Any]:
    """Source, licence, attribution, description, tables and columns of a dataset.

    Parameters
    ----------
    name : str
        One of :func:`list_datasets`.

    Returns
    -------
    dict
        Keys ``name``, ``title``, ``description``, ``source``, ``licence``,
        ``attribution``, ``tables`` (table -> file, rows, columns,
        description), ``columns`` (column -> meaning), ``default_table`` and,
        for datasets with boundaries, ``geometry`` (layer -> file) and
        ``default_geometry``. A copy: changing it changes nothing bundled.

    Raises
    ------
    InputError
        Unknown dataset name.

    Examples
    --------
    >>> meta = info("eu-sbs")
    >>> meta["default_table"], meta["tables"]["regions"]["columns"][:4]
    ('regions', ['geo', 'nace_r2', 'nace_section', 'year'])
    """
    return json.loads(json.dumps(_info(_check_name(name))))


def load(name: str, table: str | None = None) -> pd.DataFrame:
    """Load one table of a bundled dataset as a tidy DataFrame.

    Parameters
    ----------
    name : str
        One of :func:`list_datasets`.
    table : str, optional
        One of ``info(name)["tables"]``; default ``info(name)["default_table"]``.

    Returns
    -------
    DataFrame
        A fresh copy; columns are described in ``info(name)["columns"]``.
        Missing and confidential cells are NaN, never 0.

    Raises
    ------
    InputError
        Unknown dataset or table name.

    Examples
    --------
    >>> df = load("eu-sbs")
    >>> list(df.columns[:6])
    ['geo', 'nace_r2', 'nace_section', 'year', 'persons_employed', 'local_units']
    """
    import pandas as pd

    meta = _info(_check_name(name))
    tables = meta["tables"]
    if table is None:
        table = meta["default_table"]
    if not isinstance(table, str) or table not in tables:
        raise InputError(
            f"table must be one of {', '.join(map(repr, sorted(tables)))} for dataset "
            f"{name!r}; got {table!r}"
        )
    path = FILES / name / tables[table]["file"]
    try:
        return pd.read_parquet(path)
    except parser_error_types() as exc:  # pyarrow raises its own types on damaged files
        raise DataFileError(f"bundled table {name}/{table} cannot be read: {exc}") from exc


def geometry(name: str, layer: str | None = None) -> dict[str, Any]:
    """Boundaries of a dataset's regions as a GeoJSON FeatureCollection (EPSG:4326).

    Parameters
    ----------
    name : str
        A dataset with boundaries (``info(name)`` has a ``geometry`` entry).
    layer : str, optional
        e.g. ``"nuts2"`` or ``"nuts0"`` for ``eu-sbs``; default
        ``info(name)["default_geometry"]``.

    Returns
    -------
    dict
        A new ``{"type": "FeatureCollection", "features": [...]}`` each call.

    Raises
    ------
    InputError
        Unknown dataset, a dataset without boundaries, or an unknown layer.

    Examples
    --------
    >>> g = geometry("eu-sbs")
    >>> g["type"], g["features"][0]["properties"]["LEVL_CODE"]
    ('FeatureCollection', 2)
    """
    meta = _info(_check_name(name))
    geo = meta.get("geometry")
    if not geo:
        with_geo = [n for n in list_datasets() if _info(n).get("geometry")]
        raise InputError(
            f"dataset {name!r} has no boundaries; datasets with boundaries: "
            f"{', '.join(map(repr, with_geo))}"
        )
    layers = {k: v for k, v in geo.items() if isinstance(v, dict) and "file" in v}
    if layer is None:
        layer = meta.get("default_geometry") or sorted(layers)[0]
    if not isinstance(layer, str) or layer not in layers:
        raise InputError(
            f"layer must be one of {', '.join(map(repr, sorted(layers)))} for dataset "
            f"{name!r}; got {layer!r}"
        )
    path = FILES / name / layers[layer]["file"]
    try:
        data = path.read_bytes()
        if path.name.endswith(".gz"):
            data = gzip.decompress(data)
        out: dict[str, Any] = json.loads(data)
    except (OSError, ValueError, EOFError, zlib.error) as exc:
        raise DataFileError(f"bundled geometry {name}/{layer} cannot be read: {exc}") from exc
    return out
