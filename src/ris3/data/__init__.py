"""ris3.data: readers of published statistics, classifications and NUTS versions.

Readers return a :class:`~ris3.data.quality.ReadResult`: the tidy table and a
:class:`~ris3.data.quality.QualityReport` (completeness, unknown codes,
anomalies). Names are loaded lazily so ``import ris3.data`` stays light.

Examples
--------
>>> import ris3.data
>>> ris3.data.nuts_levels(["AT", "AT33"]).tolist()
[0, 2]
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS: dict[str, str] = {
    "read_eurostat_tsv": "ris3.data.readers_eurostat",
    "EUROSTAT_FLAGS": "ris3.data.readers_eurostat",
    "read_cbp": "ris3.data.readers_national",
    "read_bres": "ris3.data.readers_national",
    "read_checked": "ris3.data.readers",
    "read_table": "ris3.data.readers",  # deprecated name of read_checked
    "nuts_levels": "ris3.data.readers",
    "ReadResult": "ris3.data.quality",
    "QualityReport": "ris3.data.quality",
    "coverage_table": "ris3.data.quality",
    "convert_nuts": "ris3.data.nuts",
    "nuts_concordance": "ris3.data.nuts",
    "hierarchy": "ris3.data.classifications",
    "levels": "ris3.data.classifications",
    "parent_of": "ris3.data.classifications",
    "HIERARCHIES": "ris3.data.classifications",
    "is_nace_aggregate": "ris3.data.classifications",
    "nace_aggregate_members": "ris3.data.classifications",
    "aggregate": "ris3.data.aggregation",
    "nuts_adjacency": "ris3.data.geometry",
    "published_totals": "ris3.data.totals",
    "estimate_suppressed": "ris3.data.suppressed",
    "SuppressedEstimate": "ris3.data.suppressed",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'ris3.data' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_EXPORTS))
