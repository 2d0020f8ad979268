"""An instrument register as one wide table, for spreadsheets: read and write.

A register is three tidy tables (:mod:`ris3.strategy.instruments`). People
keep it in one sheet: one row per instrument, a column ``budget_<year>`` per
year and a column ``share_<source>`` per funding source.
:func:`split_register` turns such a sheet into the three tables and
:func:`join_register` writes them back, so an export imports unchanged.

An empty budget cell means no budget line for that year and an empty share
cell no funding from that source: neither becomes 0.
"""

from __future__ import annotations

import re

import pandas as pd

from ris3.strategy._common import require_columns, require_frame

__all__ = ["split_register", "join_register"]

_BUDGET = re.compile(r"^budget_(\d{4})$")
_SHARE = re.compile(r"^share_(.+)$")


def _filled(v: object) -> bool:
    return not (v is None or (isinstance(v, float) and pd.isna(v)) or str(v).strip() == "")


def split_register(table: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Return the instruments, budgets and funding tables of a wide register sheet.

    Parameters
    ----------
    table : DataFrame
        One row per instrument with an ``instrument`` column, the other
        register columns, ``budget_<year>`` and ``share_<source>`` columns.

    Returns
    -------
    instruments, budgets, funding : DataFrame
        ``instruments`` without the budget and share columns (its index is
        the sheet's); ``budgets`` (``instrument``, ``year``, ``budget_eur``)
        and ``funding`` (``instrument``, ``source``, ``share``) with a row per
        filled cell, the cell's text kept for the checks.

    Examples
    --------
    >>> import pandas as pd
    >>> sheet = pd.DataFrame({"instrument": ["A", "B"], "budget_2024": [1e6, None],
    ...     "budget_2025": [2e6, 5e5], "share_ERDF": [0.5, None], "share_regional": [0.5, 1]})
    >>> ins, bud, fund = split_register(sheet)
    >>> bud.values.tolist()
    [['A', 2024, 1000000.0], ['A', 2025, 2000000.0], ['B', 2025, 500000.0]]
    >>> fund.values.tolist()
    [['A', 'ERDF', 0.5], ['A', 'regional', 0.5], ['B', 'regional', 1.0]]
    """
    df = require_frame(table, "the register sheet")
    require_columns(df, "the register sheet", instrument="instrument")
    budget_cols = {c: int(m.group(1)) for c in df.columns if (m := _BUDGET.match(str(c)))}
    share_cols = {c: m.group(1) for c in df.columns if (m := _SHARE.match(str(c)))}
    budgets, funding = [], []
    for i in df.index:
        name = df.at[i, "instrument"]
        for c, year in budget_cols.items():
            if _filled(df.at[i, c]):
                budgets.append((name, year, df.at[i, c]))
        for c, source in share_cols.items():
            if _filled(df.at[i, c]):
                funding.append((name, source, df.at[i, c]))
    ins = df.drop(columns=[*budget_cols, *share_cols])
    return (
        ins,
        pd.DataFrame(budgets, columns=["instrument", "year", "budget_eur"]),
        pd.DataFrame(funding, columns=["instrument", "source", "share"]),
    )


def join_register(
    instruments: pd.DataFrame, budgets: pd.DataFrame, funding: pd.DataFrame
) -> pd.DataFrame:
    """One wide sheet from the three register tables (the inverse of :func:`split_register`).

    Examples
    --------
    >>> import pandas as pd
    >>> ins = pd.DataFrame({"instrument": ["A", "B"], "level": ["regional", "EU"]})
    >>> bud = pd.DataFrame({"instrument": ["A", "B"], "year": [2024, 2025],
    ...                     "budget_eur": [1e6, 5e5]})
    >>> fund = pd.DataFrame({"instrument": ["A"], "source": ["ERDF"], "share": [1.0]})
    >>> join_register(ins, bud, fund).columns.tolist()
    ['instrument', 'level', 'budget_2024', 'budget_2025', 'share_ERDF']
    >>> join_register(ins, bud, fund)["budget_2024"].tolist()
    [1000000.0, nan]
    """
    out = require_frame(instruments, "the instrument register").reset_index(drop=True)
    require_columns(out, "the instrument register", instrument="instrument")
    b = require_frame(budgets, "the budgets table")
    f = require_frame(funding, "the funding table")
    if len(b):
        wide = b.pivot(index="instrument", columns="year", values="budget_eur")
        for year in sorted(wide.columns):
            out[f"budget_{year}"] = out["instrument"].map(wide[year]).astype(float)
    if len(f):
        wide = f.pivot(index="instrument", columns="source", values="share")
        for source in wide.columns:
            out[f"share_{source}"] = out["instrument"].map(wide[source]).astype(float)
    return out
