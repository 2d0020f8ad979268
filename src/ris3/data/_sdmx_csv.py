"""Eurostat SDMX-CSV (the data browser's and the dissemination API's download) as bulk TSV text.

SDMX-CSV has one observation per line: ``DATAFLOW, LAST UPDATE``, the
dimensions (``freq``, ``nace_r2``, ..., ``geo``), ``TIME_PERIOD``,
``OBS_VALUE`` and ``OBS_FLAG`` (``CONF_STATUS`` and other attributes may
follow). :func:`sdmx_csv_to_tsv` writes the same observations in the bulk
TSV layout (keys in the dimension order, the last one ``geo``; periods newest
first; cells ``"12.3 b"``, ``": c"``), so one parser checks both formats and
gives the same table, flags and quality report.
"""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd

from ris3.errors import DataFileError

__all__ = ["is_sdmx_csv", "sdmx_csv_to_tsv"]

_FIXED = ("DATAFLOW", "LAST UPDATE")
_AFTER = ("TIME_PERIOD", "OBS_VALUE")


def is_sdmx_csv(header: str) -> bool:
    r"""Whether a first line is an SDMX-CSV header (``DATAFLOW,...,OBS_VALUE``).

    Examples
    --------
    >>> is_sdmx_csv("DATAFLOW,LAST UPDATE,freq,geo,TIME_PERIOD,OBS_VALUE,OBS_FLAG")
    True
    >>> is_sdmx_csv("nace_r2,indic_sb,geo\\time\t2014 ")
    False
    """
    names = [c.strip().strip('"') for c in header.lstrip("\ufeff").split(",")]
    return bool(names) and names[0] == "DATAFLOW" and all(c in names for c in _AFTER)


def sdmx_csv_to_tsv(text: str, path: Path) -> str:
    r"""Return the observations of an SDMX-CSV file as Eurostat bulk TSV text.

    Observations absent from the file are ``:`` (not available), as in the
    bulk file. A key and period given twice, a file with several dataflows, a
    missing dimension column or a value with a tab raise DataFileError.

    Examples
    --------
    >>> csv = ("DATAFLOW,LAST UPDATE,freq,geo,TIME_PERIOD,OBS_VALUE,OBS_FLAG\n"
    ...        "ESTAT:X(1.0),01/01/24 23:00:00,A,AT33,2013,,c\n"
    ...        "ESTAT:X(1.0),01/01/24 23:00:00,A,AT33,2014,4.0,b\n")
    >>> sdmx_csv_to_tsv(csv, Path("x.csv")).splitlines()
    ['freq,geo\\TIME_PERIOD\t2014\t2013', 'A,AT33\t4.0 b\t: c']
    """
    try:
        frame = pd.read_csv(io.StringIO(text.lstrip("\ufeff")), dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, ValueError) as exc:
        raise DataFileError(f"{str(path)!r} is not a readable SDMX-CSV file: {exc}") from exc
    columns = list(frame.columns)
    start = max(columns.index(c) for c in _FIXED if c in columns) + 1
    end = columns.index("TIME_PERIOD")
    keys = columns[start:end]
    if not keys or "OBS_VALUE" not in columns:
        raise DataFileError(
            f"{str(path)!r} is an SDMX-CSV file without dimension columns between "
            f"'LAST UPDATE' and 'TIME_PERIOD'; columns: {', '.join(columns)}"
        )
    flows = frame["DATAFLOW"].unique()
    if len(flows) > 1:
        raise DataFileError(
            f"{str(path)!r} holds {len(flows)} dataflows ({', '.join(map(str, flows[:3]))}); "
            "read one dataflow per file"
        )
    if len(frame) == 0:
        raise DataFileError(f"{str(path)!r} has a header but no data lines")
    dup = frame.duplicated(keys + ["TIME_PERIOD"])
    if dup.any():
        i = int(dup.to_numpy().argmax())
        raise DataFileError(
            f"{str(path)!r} line {i + 2}: the observation of "
            f"{', '.join(frame.loc[i, keys])} in {frame.loc[i, 'TIME_PERIOD']} is given twice"
        )
    value = frame["OBS_VALUE"].str.strip()
    flag = frame["OBS_FLAG"].str.strip() if "OBS_FLAG" in frame else pd.Series("", frame.index)
    cell = value.where(value != "", ":") + (" " + flag).where(flag != "", " ")
    if cell.str.contains("\t").any():
        raise DataFileError(f"{str(path)!r} has a tab inside OBS_VALUE or OBS_FLAG")
    key = frame[keys].agg(",".join, axis=1)
    periods = sorted(frame["TIME_PERIOD"].str.strip().unique(), reverse=True)
    wide = (
        pd.DataFrame({"key": key, "period": frame["TIME_PERIOD"].str.strip(), "cell": cell})
        .pivot(index="key", columns="period", values="cell")
        .reindex(index=key.unique(), columns=periods)
        .fillna(": ")
    )
    header = ",".join(keys) + "\\TIME_PERIOD\t" + "\t".join(periods)
    body = wide.index.to_series() + "\t" + wide.agg("\t".join, axis=1)
    return header + "\n" + "\n".join(body) + "\n"
