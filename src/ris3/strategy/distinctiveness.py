"""Distinctiveness of candidate priorities: how many other regions share them.

The report's rationale for smart specialisation is that regions replicate
"prioritization on the same 'key sectors' across too many regions", so
priorities need "the sufficiently fine-grained definition necessary for
differentiation" (``clusters-and-s3-report.txt`` lines 802-807), and a
region should "establish a distinctive profile ... rather than copying
efforts of other regions" (lines 1538-1539). This module counts, for each
candidate domain given as a NACE Rev. 2 code, the other regions specialised
in it (from a location-quotient table on the same data) and the other
regions that declare it a priority (from a table shaped like the JRC's
Eye@RIS3 database: region, priority text, NACE codes, ...), with the code's
granularity beside the counts: a section-level priority is shared by
construction, a group-level one can be distinctive.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import pandas as pd

from ris3._compat import renamed_parameters
from ris3.data._hierarchy_sources import NACE_SECTIONS
from ris3.errors import ClassificationError, InputError
from ris3.strategy._common import require_columns, require_frame, require_no_missing

__all__ = ["nace_code", "granularity", "distinctiveness", "GRANULARITIES"]

#: NACE Rev. 2 levels by the number of digits of a code (0 = section letter only).
GRANULARITIES: dict[int, str] = {0: "section", 2: "division", 3: "group", 4: "class"}

_CODE = re.compile(r"^\s*([A-Ua-u])?\s*\.?\s*(\d{2})?(?:\.?(\d))?(\d)?\b")


def _letter(division: int) -> str | None:
    for letter, (lo, hi, _) in NACE_SECTIONS.items():
        if lo <= division <= hi:
            return letter
    return None


def nace_code(text: object) -> str | None:
    """Return a NACE Rev. 2 code in ris3's form (``"C"``, ``"C29"``, ``"C2910"`` ...), or None.

    Accepts what declared-priority tables contain: ``"C29"``, ``"C.29"``,
    ``"29.1"``, ``"C29.10 - Manufacture of motor vehicles"`` (text after the
    code is ignored); a missing section letter is added from the division.

    Examples
    --------
    >>> [nace_code(t) for t in ["C29", "C.29", "29.1", "c29.10 - Motor vehicles", "M", "x"]]
    ['C29', 'C29', 'C291', 'C2910', 'M', None]
    """
    if not isinstance(text, str) or not text.strip():
        return None
    m = _CODE.match(text)
    if m is None or (m.group(1) is None and m.group(2) is None):
        return None
    letter, div, g, c = m.group(1), m.group(2), m.group(3), m.group(4)
    if div is None:
        return letter.upper() if letter else None
    implied = _letter(int(div))
    if implied is None or (letter and letter.upper() != implied):
        return None
    return implied + div + (g or "") + (c or "" if g else "")


def granularity(code: str) -> str:
    """``"section"``, ``"division"``, ``"group"`` or ``"class"`` of a ris3 NACE code.

    Examples
    --------
    >>> granularity("C"), granularity("C29"), granularity("C291")
    ('section', 'division', 'group')
    """
    return GRANULARITIES[len(code) - 1]


def _within(code: str, other: str) -> bool:
    """Return True when ``code`` lies inside ``other`` (or equals it)."""
    return code.startswith(other)


@renamed_parameters(presence="specialised")
def distinctiveness(
    candidates: Sequence[str],
    *,
    own_region: str | None = None,
    specialisation: pd.DataFrame | None = None,
    declared: pd.DataFrame | None = None,
    region: str = "geo",
    activity: str = "nace_r2",
    specialised: str = "specialised",
    declared_region: str = "region",
    declared_codes: str = "nace_codes",
    declared_priority: str = "priority",
    separator: str = ";",
) -> pd.DataFrame:
    """How many other regions are specialised in, or declare, each candidate domain.

    Parameters
    ----------
    candidates : sequence of str
        NACE Rev. 2 codes of the candidate domains (any form
        :func:`nace_code` reads).
    own_region : str, optional
        The region whose candidates these are; it is not counted.
    specialisation : DataFrame, optional
        A :func:`ris3.location_quotient` table: region, activity and the
        boolean column named by ``specialised`` (LQ above its threshold;
        ``presence=`` is the old name of that parameter). A candidate coarser
        than the table's codes (a section against divisions) counts the
        regions specialised in at least one activity inside it; a candidate
        finer than the table is measured at the table's code containing it
        (``measured_at`` says which).
    declared : DataFrame, optional
        Other regions' declared priorities, one row per priority: region,
        priority text and NACE codes (several separated by ``separator``;
        unreadable codes raise, rows without codes are counted in
        ``declared_without_codes``).

    Returns
    -------
    DataFrame
        One row per candidate: ``domain`` (as given), ``code``,
        ``granularity``; with ``specialisation``: ``measured_at``,
        ``regions_specialised``, ``regions_compared`` (regions with a value
        for it), ``share_specialised``; with ``declared``:
        ``regions_declaring`` (a priority with this code or a finer one
        inside it), ``regions_declaring_broader`` (only a coarser code that
        contains it, e.g. all of manufacturing), ``example_priorities`` (up
        to three texts). ``attrs["declared_without_codes"]`` counts
        declared priorities without NACE codes (they cannot be matched).

    Examples
    --------
    >>> spec = pd.DataFrame({"geo": ["A", "B", "C", "A", "B", "C"], "nace_r2": ["C29"] * 3 + ["C21"] * 3,
    ...                      "specialised": [True, True, False, False, True, False]})
    >>> decl = pd.DataFrame({"region": ["B", "C"], "priority": ["Automotive", "Manufacturing"],
    ...                      "nace_codes": ["C29.1", "C"]})
    >>> d = distinctiveness(["C29"], own_region="A", specialisation=spec, declared=decl)
    >>> print(d.loc[0, "code"], d.loc[0, "granularity"], d.loc[0, "regions_specialised"], d.loc[0, "regions_declaring"])
    C29 division 1 1
    >>> int(d.loc[0, "regions_declaring_broader"])  # C: all of manufacturing
    1
    """
    if isinstance(candidates, str) or not len(candidates):
        raise InputError("candidates must be a non-empty list of NACE codes")
    codes = []
    for c in candidates:
        code = nace_code(c)
        if code is None:
            raise ClassificationError(
                f"candidate {c!r} is not a NACE Rev. 2 code (e.g. 'C', 'C29', 'C29.1')"
            )
        codes.append(code)
    out = pd.DataFrame(
        {
            "domain": list(candidates),
            "code": codes,
            "granularity": [granularity(c) for c in codes],
        }
    )
    if specialisation is not None:
        sp = require_frame(specialisation, "specialisation")
        require_columns(
            sp, "specialisation", region=region, activity=activity, specialised=specialised
        )
        require_no_missing(sp, "specialisation", (region, activity))
        sp = sp[sp[region] != own_region] if own_region is not None else sp
        acts = {a: nace_code(a) for a in sp[activity].astype(str).unique()}
        sp = sp.assign(_code=sp[activity].astype(str).map(acts))
        measured: list[str | None] = []
        n_spec: list[object] = []
        n_comp: list[int] = []
        for code in codes:
            inside = sp["_code"].map(lambda a, c=code: isinstance(a, str) and _within(a, c))
            if inside.any():
                part, at = sp[inside], code
            else:
                holders = sorted(
                    {a for a in acts.values() if isinstance(a, str) and _within(code, a)}, key=len
                )
                if not holders:
                    measured.append(None)
                    n_spec.append(pd.NA)
                    n_comp.append(0)
                    continue
                at = holders[-1]
                part = sp[sp["_code"] == at]
            known = part[part[specialised].notna()]
            measured.append(at)
            n_spec.append(int(known.loc[known[specialised].astype(bool), region].nunique()))
            n_comp.append(int(known[region].nunique()))
        out["measured_at"] = measured
        out["regions_specialised"] = pd.array(n_spec, dtype="Int64")
        out["regions_compared"] = pd.array(n_comp, dtype="Int64")
        out["share_specialised"] = out["regions_specialised"].astype("Float64") / out[
            "regions_compared"
        ].replace(0, pd.NA)
    if declared is not None:
        dc = require_frame(declared, "declared")
        require_columns(
            dc, "declared", region=declared_region, codes=declared_codes, priority=declared_priority
        )
        require_no_missing(dc, "declared", (declared_region,))
        dc = dc[dc[declared_region] != own_region] if own_region is not None else dc
        pairs: list[tuple[str, str, str]] = []
        no_codes = 0
        for reg, text, cell in zip(dc[declared_region], dc[declared_priority], dc[declared_codes]):
            parts = (
                [p for p in str(cell).split(separator) if p.strip()]
                if isinstance(cell, str)
                else []
            )
            if not parts:
                no_codes += 1
                continue
            for p in parts:
                code = nace_code(p)
                if code is None:
                    raise ClassificationError(
                        f"declared priority {text!r} of region {reg!r} has an unreadable NACE code "
                        f"{p.strip()!r}; allowed forms: 'C', 'C29', 'C29.1', '29.10'"
                    )
                pairs.append((str(reg), str(text), code))
        same, broader, examples = [], [], []
        for code in codes:
            inside = {(r, t) for r, t, c in pairs if _within(c, code)}
            regs_in = {r for r, _ in inside}
            regs_broad = {r for r, _, c in pairs if _within(code, c) and c != code} - regs_in
            same.append(len(regs_in))
            broader.append(len(regs_broad))
            examples.append("; ".join(sorted({t for _, t in inside})[:3]))
        out["regions_declaring"] = same
        out["regions_declaring_broader"] = broader
        out["example_priorities"] = examples
        out.attrs["declared_without_codes"] = no_codes
    if specialisation is None and declared is None:
        raise InputError(
            "give specialisation= (a location_quotient table) and/or declared= (declared priorities)"
        )
    return out
