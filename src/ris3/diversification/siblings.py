"""Split siblings of a NUTS conversion: regions whose profiles are copies of one another.

:func:`split_siblings` lists the regions estimated from the same older
region by a NUTS conversion: their profiles are copies of one another (with
the JRC population weights every cell of one is a constant multiple of the
other's), so they are no one's benchmark; pass them as ``exclude=`` to
:func:`~ris3.diversification.peers.peers` and
:func:`~ris3.diversification.partners.partners`.
"""

from __future__ import annotations

from collections.abc import Hashable

import numpy as np
import pandas as pd

from ris3.errors import InputError

__all__ = ["split_siblings"]


#: statuses of the NUTS conversion report where a new region draws on part of an old one
_SPLIT = ("split", "split_merged")


def split_siblings(
    conversion: pd.DataFrame, target: Hashable, *, year: int | None = None
) -> pd.DataFrame:
    """Regions estimated from the same older region as ``target`` by a NUTS conversion.

    When an old region is split among new ones with population weights
    (the JRC NUTS converter), every new region gets the same activity
    structure: a split sibling's profile is a copy of the target's (PL91
    and PL92, both from PL12; HU11/HU12; LT01/LT02), so it must not be
    offered as a peer or partner. Pass ``out["sibling"]`` as ``exclude=``
    to :func:`peers` and :func:`partners`.

    Parameters
    ----------
    conversion : DataFrame
        The conversion report, with columns ``from_code``, ``status``,
        ``to_codes`` (space-separated) and optionally ``years``
        (space-separated) -- e.g. ``ris3.datasets.load("eu-sbs",
        "nuts_conversion")`` or the ``codes`` table of
        :func:`ris3.convert_nuts`.
    target : label
        The region (new code).
    year : int, optional
        Only the conversions that produced this year's values.

    Returns
    -------
    DataFrame
        ``from_code`` (the old region), ``status``, ``sibling`` (another new
        region drawing on it); one row per pair, sorted, no duplicates.
        Empty when the target was not estimated from a split.

    Examples
    --------
    >>> import pandas as pd
    >>> conv = pd.DataFrame({"from_code": ["PL12", "PL11"], "status": ["split", "unchanged"],
    ...                      "to_codes": ["PL91 PL92", "PL71"], "years": ["2013 2014"] * 2})
    >>> split_siblings(conv, "PL91")
      from_code status sibling
    0      PL12  split    PL92
    >>> len(split_siblings(conv, "PL91", year=2010))
    0
    """
    need = ["from_code", "status", "to_codes"]
    if not isinstance(conversion, pd.DataFrame) or any(c not in conversion for c in need):
        raise InputError(
            "conversion must be a DataFrame with columns from_code, status, to_codes (as the "
            "eu-sbs table nuts_conversion or ris3.convert_nuts(...).codes)"
        )
    rows = conversion[conversion["status"].isin(_SPLIT)]
    if year is not None and "years" in rows.columns:
        in_year = [str(year) in str(ys).split() for ys in rows["years"]]
        rows = rows[np.asarray(in_year, dtype=bool)]
    mine = rows[np.asarray([str(target) in str(c).split() for c in rows["to_codes"]], dtype=bool)]
    pairs = [
        (f, st, sib)
        for f, st, codes in zip(mine["from_code"], mine["status"], mine["to_codes"].astype(str))
        for sib in codes.split()
        if sib != str(target)
    ]
    out = pd.DataFrame(pairs, columns=["from_code", "status", "sibling"])
    return out.drop_duplicates().sort_values(["sibling", "from_code"], ignore_index=True)
