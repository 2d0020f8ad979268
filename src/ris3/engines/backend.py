"""Connections to the engines that run ris3's large-data computations.

ris3 writes its microdata computations (job spells, firm panels) once, as Ibis
expressions, and runs them on one of two engines:

- ``"duckdb"`` (default): DuckDB embedded in the Python process. Reads Parquet
  out of core and spills to disk, so inputs larger than memory work on one
  machine.
- ``"spark"``: Apache Spark through PySpark, for data that one machine cannot
  handle. Needs the optional extra: ``pip install 'ris3[spark]'``.

Ibis, DuckDB and PySpark are imported only when a function here is called, so
``import ris3`` stays light.
"""

from __future__ import annotations

import glob as _glob
import itertools
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from ris3._validation import check_number, check_option, short_list
from ris3.errors import DataFileError, InputError, OptionalDependencyError

if TYPE_CHECKING:
    import ibis.expr.types as ir
    import pandas as pd
    from ibis.backends import BaseBackend

__all__ = ["Engine", "ENGINES", "connect", "table_from", "to_pandas", "backend_name"]

Engine = Literal["duckdb", "spark"]
ENGINES: tuple[str, ...] = ("duckdb", "spark")

_DUCKDB_OPTIONS = ("database", "memory_limit", "threads", "temp_directory")
_SPARK_OPTIONS = ("session", "master", "app_name", "config")

# Spark settings that make a local session quick to start and predictable:
# few shuffle partitions (the default 200 is tuned for clusters), no web UI,
# and UTC so that timestamps do not depend on the machine.
_SPARK_LOCAL_DEFAULTS = {
    "spark.sql.shuffle.partitions": "4",
    "spark.ui.enabled": "false",
    "spark.ui.showConsoleProgress": "false",
    "spark.sql.session.timeZone": "UTC",
    "spark.sql.execution.arrow.pyspark.enabled": "true",
}

_counter = itertools.count()


def connect(engine: Engine = "duckdb", **options: Any) -> BaseBackend:
    """Open an Ibis backend on DuckDB (default) or Spark.

    Parameters
    ----------
    engine : {"duckdb", "spark"}, default "duckdb"
        ``"duckdb"`` runs in this process; ``"spark"`` needs the ``[spark]``
        extra (PySpark and a Java runtime).
    **options
        For ``"duckdb"``:

        - ``database`` (str or Path, default ``":memory:"``): a DuckDB file to
          open instead of an in-memory database.
        - ``memory_limit`` (str such as ``"4GB"``): DuckDB's memory cap; above
          it DuckDB spills to ``temp_directory``.
        - ``threads`` (int >= 1): worker threads (default: all cores).
        - ``temp_directory`` (str or Path): where DuckDB spills.

        For ``"spark"``:

        - ``session`` (``pyspark.sql.SparkSession``): use this session as is.
        - ``master`` (str, default ``"local[*]"``): used when no session is
          given; a local session is started.
        - ``app_name`` (str, default ``"ris3"``).
        - ``config`` (dict of str to str): extra Spark settings for the new
          session, e.g. ``{"spark.driver.memory": "8g"}``.

    Returns
    -------
    ibis.backends.BaseBackend
        The connection; pass it to :func:`table_from`.

    Raises
    ------
    ConventionError
        ``engine`` or an option name is unknown.
    InputError
        An option has the wrong type or range.
    OptionalDependencyError
        ``engine="spark"`` but PySpark is not installed.

    Examples
    --------
    >>> from ris3.engines import connect
    >>> con = connect("duckdb", threads=1, memory_limit="1GB")
    >>> con.name
    'duckdb'
    """
    check_option("engine", engine, ENGINES)
    allowed = _DUCKDB_OPTIONS if engine == "duckdb" else _SPARK_OPTIONS
    unknown = [k for k in options if k not in allowed]
    if unknown:
        raise InputError(
            f"options for engine={engine!r} must be among {short_list(allowed)}; "
            f"got {short_list(unknown)}"
        )
    if engine == "duckdb":
        return _connect_duckdb(**options)
    return _connect_spark(**options)


def _connect_duckdb(
    database: str | Path = ":memory:",
    memory_limit: str | None = None,
    threads: int | None = None,
    temp_directory: str | Path | None = None,
) -> BaseBackend:
    import duckdb
    import ibis

    config: dict[str, Any] = {}
    if memory_limit is not None:
        if not isinstance(memory_limit, str) or not memory_limit.strip():
            raise InputError(
                f"memory_limit must be a size string such as '4GB'; got {memory_limit!r}"
            )
        config["memory_limit"] = memory_limit
    if threads is not None:
        config["threads"] = int(check_number("threads", threads, low=1, integer=True))
    if temp_directory is not None:
        Path(temp_directory).mkdir(parents=True, exist_ok=True)
        config["temp_directory"] = str(temp_directory)
    try:
        return ibis.duckdb.connect(database=database, **config)
    except duckdb.Error as exc:  # duckdb's own error types for bad settings
        raise InputError(f"DuckDB rejected the connection options: {exc}") from exc


def _import_pyspark() -> Any:
    try:
        import pyspark.sql
    except ImportError as exc:
        raise OptionalDependencyError(
            "engine='spark' needs PySpark, which is not installed; "
            "install it with: pip install 'ris3[spark]'"
        ) from exc
    return pyspark.sql


def _connect_spark(
    session: Any = None,
    master: str = "local[*]",
    app_name: str = "ris3",
    config: dict[str, str] | None = None,
) -> BaseBackend:
    sql = _import_pyspark()
    import ibis

    if session is None:
        builder = sql.SparkSession.builder.master(master).appName(app_name)
        settings = dict(_SPARK_LOCAL_DEFAULTS)
        if config is not None:
            if not isinstance(config, dict):
                raise InputError(f"config must be a dict of Spark settings; got {config!r}")
            settings.update({str(k): str(v) for k, v in config.items()})
        for key, value in settings.items():
            builder = builder.config(key, value)
        session = builder.getOrCreate()
    elif not isinstance(session, sql.SparkSession):
        raise InputError(
            f"session must be a pyspark.sql.SparkSession; got {type(session).__name__}"
        )
    return ibis.pyspark.connect(session)


def backend_name(backend: BaseBackend) -> str:
    """Return ``"duckdb"`` or ``"spark"`` for a backend made by :func:`connect`.

    Examples
    --------
    >>> from ris3.engines import backend_name, connect
    >>> backend_name(connect())
    'duckdb'
    """
    name = getattr(backend, "name", None)
    if name == "pyspark":
        return "spark"
    if name == "duckdb":
        return "duckdb"
    raise InputError(
        f"backend must be an Ibis DuckDB or PySpark backend; got {type(backend).__name__}"
    )


def table_from(
    obj: Any, backend: BaseBackend | None = None, *, name: str | None = None
) -> ir.Table:
    """Turn a DataFrame, a Parquet path or glob, or an Ibis table into an Ibis table.

    Parameters
    ----------
    obj : pandas.DataFrame, pyarrow.Table, str, Path or ibis Table
        - a DataFrame (pandas or pyarrow) is registered as a temporary table
          in ``backend`` (a copy; the caller's object is not changed);
        - a string or Path names a Parquet file, a folder of Parquet files,
          or a glob such as ``"spells/*.parquet"``; it is read lazily, out of
          core, by the backend;
        - an Ibis table is returned as is when it belongs to ``backend``
          (or to no backend yet).
    backend : Ibis backend, optional
        From :func:`connect`; default a new in-memory DuckDB connection.
    name : str, optional
        Name of the registered table; default a unique ``ris3_input_<n>``.

    Returns
    -------
    ibis.expr.types.Table

    Raises
    ------
    DataFileError
        A path matches no file.
    InputError
        ``obj`` is of another type, or an Ibis table bound to another backend.

    Examples
    --------
    >>> import pandas as pd
    >>> from ris3.engines import connect, table_from, to_pandas
    >>> con = connect()
    >>> t = table_from(pd.DataFrame({"a": [1, 2, 3]}), con)
    >>> to_pandas(t.a.sum().name("total").as_table())
       total
    0      6
    """
    import ibis
    import ibis.expr.types as ir

    if backend is None:
        backend = connect()
    engine = backend_name(backend)
    if name is None:
        name = f"ris3_input_{os.getpid()}_{next(_counter)}"
    if isinstance(obj, ir.Table):
        owner = _owner(obj)
        if owner is not None and owner is not backend:
            raise InputError(
                "obj is an Ibis table bound to another backend; pass the backend it "
                "belongs to, or read the data again with this backend"
            )
        return obj
    if isinstance(obj, str | Path):
        from ris3.engines.errors import engine_errors

        with engine_errors(str(obj)):
            return _read_parquet(obj, backend, engine, name)
    import pandas as pd
    import pyarrow as pa

    if isinstance(obj, pd.DataFrame | pa.Table):
        if (
            isinstance(obj, pd.DataFrame)
            and len(obj.columns)
            and not all(isinstance(c, str) for c in obj.columns)
        ):
            raise InputError(
                "obj must have string column names; got "
                f"{short_list([c for c in obj.columns if not isinstance(c, str)])}"
            )
        if isinstance(obj, pd.DataFrame):
            # an all-missing text column has no type an engine can store (older
            # Ibis refuses NULL-typed columns): type it as text, still missing
            untyped = [c for c in obj.columns if obj[c].dtype == object and obj[c].isna().all()]
            if untyped:
                obj = obj.astype({c: "string" for c in untyped})
        # Copy into an engine-owned temporary table so later changes to the
        # caller's DataFrame cannot leak into results.
        if engine == "spark":
            arrow = (
                pa.Table.from_pandas(obj, preserve_index=False)
                if isinstance(obj, pd.DataFrame)
                else obj
            )
            frame = backend._session.createDataFrame(arrow)  # type: ignore[attr-defined]
            frame.createOrReplaceTempView(name)
            return backend.table(name)
        return backend.create_table(name, ibis.memtable(obj), temp=True)
    raise InputError(
        "obj must be a pandas DataFrame, a pyarrow Table, a Parquet path or glob, "
        f"or an Ibis table; got {type(obj).__name__}"
    )


def _owner(table: ir.Table) -> BaseBackend | None:
    from ibis.common.exceptions import IbisError

    try:
        return table._find_backend(use_default=False)
    except IbisError:  # an unbound memtable has no backend yet
        return None


def _read_parquet(path: str | Path, backend: BaseBackend, engine: str, name: str) -> ir.Table:
    text = str(path)
    p = Path(text)
    if p.is_dir():
        pattern = os.path.join(text, "**", "*.parquet")
        files = sorted(_glob.glob(pattern, recursive=True))
    elif _glob.has_magic(text):
        pattern = text
        files = sorted(_glob.glob(text, recursive=True))
    else:
        pattern = text
        files = [text] if p.is_file() else []
    if not files:
        raise DataFileError(
            f"path must name a Parquet file, a folder of Parquet files or a glob; "
            f"nothing matches {text!r}"
        )
    if engine == "spark":
        # Spark's own globbing lacks "**"; hand it the files matched here.
        frame = backend._session.read.parquet(*files)  # type: ignore[attr-defined]
        frame.createOrReplaceTempView(name)
        return backend.table(name)
    return backend.read_parquet(pattern, table_name=name)


def to_pandas(expr: ir.Expr) -> pd.DataFrame:
    """Run an Ibis expression on its backend and return a pandas DataFrame.

    Row order is whatever the engine returns; sort explicitly (``expr.order_by``)
    when order matters, because Spark does not keep input order.

    Examples
    --------
    >>> import pandas as pd
    >>> from ris3.engines import connect, table_from, to_pandas
    >>> t = table_from(pd.DataFrame({"a": [2, 1]}), connect())
    >>> to_pandas(t.order_by("a"))
       a
    0  1
    1  2
    """
    import ibis.expr.types as ir

    if isinstance(expr, ir.Table):
        return expr.to_pandas()
    if isinstance(expr, ir.Column):
        return expr.as_table().to_pandas()
    if isinstance(expr, ir.Scalar):
        return expr.as_table().to_pandas()
    raise InputError(f"expr must be an Ibis table, column or scalar; got {type(expr).__name__}")
