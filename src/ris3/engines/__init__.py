"""ris3.engines: large microdata through Ibis (DuckDB embedded, Spark optional).

Nothing heavy is imported here; Ibis, DuckDB and PySpark load when a function
runs.
"""

from __future__ import annotations

from ris3.engines.backend import ENGINES, Engine, backend_name, connect, table_from, to_pandas

__all__ = ["ENGINES", "Engine", "backend_name", "connect", "table_from", "to_pandas"]
