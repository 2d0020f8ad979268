"""Cross-border cooperation: partner regions and the instruments open to them.

"Innovation, value chains, cooperation and knowledge flows do not stop at
administrative borders" (``clusters-and-s3-report.txt`` lines 909-919); the
report asks "How to organize alignment of policy instruments across border
regions?" (line 923). Partner regions come from two sources: complementary
specialisations (:func:`ris3.partners`) and shared priorities
(:func:`priority_overlap`); :func:`partner_regions` puts them side by side
and :func:`open_instruments` says which instruments of the register are
open to each partner (their territory reaches beyond the region).
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from ris3.errors import InputError
from ris3.strategy._common import require_columns, require_frame, require_no_missing
from ris3.strategy.instruments import codes
from ris3.strategy.policy_mix import territories_overlap

__all__ = ["priority_overlap", "partner_regions", "open_instruments"]


def priority_overlap(
    priorities: pd.DataFrame, *, region: str, priority: str, target: object
) -> pd.DataFrame:
    """Regions that share priorities with the target region.

    Parameters
    ----------
    priorities : DataFrame
        One row per region x priority (e.g. a code of the JRC's Eye@RIS3
        database or a NACE code of the priority's domain).
    region, priority : str
        Column names.
    target : label
        The region.

    Returns
    -------
    DataFrame
        One row per other region with at least one shared priority: region,
        ``n_priorities``, ``n_shared``, ``shared`` (joined by ", "),
        ``jaccard`` (shared / all of the two); most shared first, then by
        Jaccard index, then by label.

    Examples
    --------
    >>> import pandas as pd
    >>> p = pd.DataFrame({"geo": ["AT33", "AT33", "ITH1", "ITH1", "DE21"],
    ...                   "code": ["tourism", "wood", "tourism", "wood", "tourism"]})
    >>> priority_overlap(p, region="geo", priority="code", target="AT33")
        geo  n_priorities  n_shared         shared  jaccard
    0  ITH1             2         2  tourism, wood      1.0
    1  DE21             1         1        tourism      0.5
    """
    df = require_frame(priorities, "the priority table")
    require_columns(df, "the priority table", region=region, priority=priority)
    require_no_missing(df, "the priority table", [region, priority])
    sets = df.groupby(region)[priority].agg(lambda s: set(s))
    if target not in sets.index:
        raise InputError(f"the priority table has no priorities for region {target!r}")
    mine = sets[target]
    rows = []
    for other, theirs in sets.items():
        shared = mine & theirs
        if other == target or not shared:
            continue
        rows.append(
            (
                other,
                len(theirs),
                len(shared),
                ", ".join(sorted(map(str, shared))),
                len(shared) / len(mine | theirs),
            )
        )
    out = pd.DataFrame(rows, columns=[region, "n_priorities", "n_shared", "shared", "jaccard"])
    out = out.sort_values(["n_shared", "jaccard", region], ascending=[False, False, True])
    return out.reset_index(drop=True)


def partner_regions(
    *,
    region: str,
    specialisation: pd.DataFrame | None = None,
    priorities: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Partner regions from complementary specialisations and from shared priorities.

    Parameters
    ----------
    region : str
        The region column of both tables.
    specialisation : DataFrame, optional
        The output of :func:`ris3.partners` (``score``; ``cross_border``
        when it was given an adjacency table).
    priorities : DataFrame, optional
        The output of :func:`priority_overlap`.

    Returns
    -------
    DataFrame
        One row per region in either table: region, ``partner_score``,
        [``cross_border``], ``n_shared``, ``jaccard`` (NaN where the region
        is not in that table) and ``source`` ("specialisation",
        "priorities" or "both"); regions in both first, then by score.

    Examples
    --------
    >>> import pandas as pd
    >>> spec = pd.DataFrame({"geo": ["ITH1", "CH05"], "score": [0.6, 0.4]})
    >>> pri = pd.DataFrame({"geo": ["ITH1", "DE21"], "n_shared": [2, 1], "jaccard": [1.0, 0.5]})
    >>> partner_regions(region="geo", specialisation=spec, priorities=pri)
        geo  partner_score  n_shared  jaccard          source
    0  ITH1            0.6       2.0      1.0            both
    1  CH05            0.4       NaN      NaN  specialisation
    2  DE21            NaN       1.0      0.5      priorities
    """
    if specialisation is None and priorities is None:
        raise InputError("partner_regions needs specialisation= or priorities= (or both)")
    parts = []
    if specialisation is not None:
        s = require_frame(specialisation, "the specialisation partners table")
        require_columns(s, "the specialisation partners table", region=region, score="score")
        keep = [region, "score"] + (["cross_border"] if "cross_border" in s.columns else [])
        parts.append(s[keep].rename(columns={"score": "partner_score"}).assign(_s=True))
    if priorities is not None:
        p = require_frame(priorities, "the priority overlap table")
        require_columns(p, "the priority overlap table", region=region, n_shared="n_shared")
        require_columns(p, "the priority overlap table", jaccard="jaccard")
        parts.append(p[[region, "n_shared", "jaccard"]].assign(_p=True))
    out = parts[0]
    if len(parts) == 2:
        out = out.merge(parts[1], on=region, how="outer", sort=False)
    for col in ("partner_score", "n_shared", "jaccard"):
        if col not in out.columns:
            out[col] = np.nan
    s_in = out["_s"].eq(True) if "_s" in out.columns else pd.Series(False, index=out.index)
    p_in = out["_p"].eq(True) if "_p" in out.columns else pd.Series(False, index=out.index)
    out["source"] = np.where(s_in & p_in, "both", np.where(s_in, "specialisation", "priorities"))
    out["_both"] = s_in & p_in
    out = out.sort_values(
        ["_both", "partner_score", "n_shared", region],
        ascending=[False, False, False, True],
        na_position="last",
    )
    cols = [region, "partner_score", *(["cross_border"] if "cross_border" in out.columns else [])]
    return out[[*cols, "n_shared", "jaccard", "source"]].reset_index(drop=True)


def open_instruments(
    instruments: pd.DataFrame, *, home: str, partners: Iterable[str]
) -> pd.DataFrame:
    """Instruments of the register whose territory reaches partner regions.

    An instrument is open beyond the home region when one of its territory
    codes is not inside the home region (a code covers its sub-regions:
    "AT" reaches beyond "AT33"); it is open to a partner when its territory
    overlaps the partner's NUTS code.

    Returns
    -------
    DataFrame
        One row per instrument x partner it is open to: ``instrument``,
        ``level``, ``tool_group``, ``partner``, ``territory`` (the codes
        where they overlap, joined by ", ").

    Examples
    --------
    >>> import pandas as pd
    >>> reg = pd.DataFrame({"instrument": ["Regio call", "Interreg AT-IT", "FFG COMET"],
    ...     "level": ["regional", "cross_border", "national"],
    ...     "tool_group": ["generic", "collaborative_actions", "collaborative_actions"],
    ...     "territory": ["AT33", "AT33;ITH1;ITH2", "AT"]})
    >>> open_instruments(reg, home="AT33", partners=["ITH1", "AT34", "DE21"])
           instrument         level             tool_group partner territory
    0  Interreg AT-IT  cross_border  collaborative_actions    ITH1      ITH1
    1       FFG COMET      national  collaborative_actions    AT34      AT34
    """
    df = require_frame(instruments, "the instrument register")
    require_columns(df, "the instrument register", instrument="instrument", territory="territory")
    require_columns(df, "the instrument register", level="level", tool_group="tool_group")
    if not isinstance(home, str) or not home:
        raise InputError(f"home must be a NUTS code (str); got {home!r}")
    partner_list = [str(p) for p in partners]
    rows = []
    for _, ins in df.iterrows():
        terr = tuple(c.upper() for c in codes(ins["territory"]))
        if all(c.startswith(home) for c in terr):
            continue
        for p in partner_list:
            where = territories_overlap(terr, (p,))
            if where:
                rows.append(
                    (ins["instrument"], ins["level"], ins["tool_group"], p, ", ".join(where))
                )
    return pd.DataFrame(rows, columns=["instrument", "level", "tool_group", "partner", "territory"])
