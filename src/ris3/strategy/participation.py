"""Who takes part in which step: the participation matrix and engagement fatigue.

The report asks for stakeholders "in all phases of the S3 policy cycle"
(``clusters-and-s3-report.txt`` lines 111-116), monitoring and evaluation
included (lines 889-890), and warns that regular feedback must not cause
"engagement fatigue", above all for SMEs that "do not have time to devote to
policy development" (lines 954-956). These functions measure both from the
attendance and contact records a strategy keeps.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from ris3._validation import check_number, short_list
from ris3.errors import InputError
from ris3.strategy._common import (
    check_known,
    require_columns,
    require_frame,
    require_no_missing,
    vocabulary,
)
from ris3.strategy.vocabulary import HELICES, QUADRUPLE_HELIX, STEPS

__all__ = ["participation_matrix", "engagement_fatigue"]


def participation_matrix(
    attendance: pd.DataFrame,
    *,
    step: str = "step",
    helix: str = "helix",
    person: str = "stakeholder",
    steps: Sequence[str] | Sequence[tuple[str, str]] | None = None,
    helices: Sequence[str] | Sequence[tuple[str, str]] | None = None,
) -> pd.DataFrame:
    """Participants per step and helix, with the gaps of the quadruple helix.

    Parameters
    ----------
    attendance : DataFrame
        One row per (engagement, person) who attended it, with the
        engagement's step and the person's helix.
    step, helix, person : str
        Column names of the step key, the helix key and the person's id.
    steps, helices : sequence, optional
        Keys (or (key, label) pairs) in their order; default :data:`STEPS`
        (the RIS3 Guide's six steps) and :data:`HELICES` (the quadruple helix
        plus finance, media and users, report lines 535-541 and 939-941).

    Returns
    -------
    DataFrame
        One row per step x helix, steps in order then helices in order, zero
        counts included: ``step_number`` (1-based position), the ``step``
        column, ``step_label``, the ``helix`` column, ``helix_label``,
        ``participants`` (distinct persons), ``attendances`` (rows),
        ``share`` (participants / the step's distinct participants; NaN where
        the step has nobody), ``gap`` (True where a quadruple-helix group has
        no participant in a step that has any) and ``message`` (the gap in
        words, "" where there is none).

    Raises
    ------
    InputError
        A column is missing, a key cell is empty, a step or helix is not
        among the allowed ones, or a person appears in two helices (a person
        belongs to one helix, so the shares of a step sum to 1).

    Notes
    -----
    Only the quadruple helix (business, research, government, civil society:
    the groups to involve in every step, report lines 111-116, 535-541 and
    889-890) makes gaps; finance, media and users are counted but their
    absence is not flagged. A step nobody attended has no gaps: it has not
    started, which is a matter of planning, not of participation.

    Examples
    --------
    >>> import pandas as pd
    >>> att = pd.DataFrame({
    ...     "step": ["shared_vision"] * 3 + ["priorities"],
    ...     "helix": ["business", "business", "research", "government"],
    ...     "stakeholder": ["ana", "ben", "ana2", "cem"],
    ... })
    >>> m = participation_matrix(att, helices=["business", "research", "government", "civil_society"])
    >>> m.loc[m["step"] == "shared_vision", ["helix", "participants", "share", "gap"]]
                helix  participants     share    gap
    8        business             2  0.666667  False
    9        research             1  0.333333  False
    10     government             0  0.000000   True
    11  civil_society             0  0.000000   True
    >>> print(m.loc[11, "message"])
    no civil society in step 3 (shared vision)
    """
    df = require_frame(attendance, "attendance")
    require_columns(df, "attendance", step=step, helix=helix, person=person)
    if len({step, helix, person}) != 3:
        raise InputError(
            f"step=, helix= and person= must name different columns; got {step!r}, {helix!r}, {person!r}"
        )
    require_no_missing(df, "attendance", (step, helix, person))
    step_vocab = vocabulary(steps, STEPS, "steps")
    helix_vocab = vocabulary(helices, HELICES, "helices")
    step_keys = [k for k, _ in step_vocab]
    helix_keys = [k for k, _ in helix_vocab]
    check_known(df[step], step_keys, "attendance", "step", "steps")
    check_known(df[helix], helix_keys, "attendance", "helix", "helices")
    helix_per_person = df.groupby(person, sort=False)[helix].nunique()
    several = helix_per_person[helix_per_person > 1]
    if len(several):
        raise InputError(
            f"a person must belong to one helix; {len(several)} appear in several "
            f"(e.g. {short_list(several.index.tolist(), 5)})"
        )

    grid = pd.MultiIndex.from_product([step_keys, helix_keys], names=[step, helix])
    grouped = df.groupby([step, helix], sort=False)
    participants = grouped[person].nunique().reindex(grid, fill_value=0)
    attendances = grouped.size().reindex(grid, fill_value=0)
    per_step = df.groupby(step, sort=False)[person].nunique().reindex(step_keys, fill_value=0)
    step_total = per_step.reindex(grid.get_level_values(0)).to_numpy()
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(step_total > 0, participants.to_numpy() / step_total, np.nan)

    step_labels = dict(step_vocab)
    helix_labels = dict(helix_vocab)
    step_numbers = {k: i + 1 for i, k in enumerate(step_keys)}
    out = pd.DataFrame(
        {
            "step_number": [step_numbers[s] for s in grid.get_level_values(0)],
            step: grid.get_level_values(0).to_numpy(dtype=object),
            "step_label": [step_labels[s] for s in grid.get_level_values(0)],
            helix: grid.get_level_values(1).to_numpy(dtype=object),
            "helix_label": [helix_labels[h] for h in grid.get_level_values(1)],
            "participants": participants.to_numpy().astype(np.int64),
            "attendances": attendances.to_numpy().astype(np.int64),
            "share": share,
        }
    )
    out["gap"] = (
        out[helix].isin(QUADRUPLE_HELIX) & (step_total > 0) & (out["participants"] == 0)
    ).astype(bool)
    out["message"] = [
        f"no {hl} in step {n} ({sl})" if g else ""
        for g, hl, n, sl in zip(
            out["gap"], out["helix_label"], out["step_number"], out["step_label"]
        )
    ]
    return out


def engagement_fatigue(
    contacts: pd.DataFrame,
    *,
    person: str = "stakeholder",
    date: str = "date",
    cap: int = 3,
) -> pd.DataFrame:
    """Contacts per stakeholder per calendar quarter against a cap.

    The report's open question "how to get regular feedback from
    stakeholders without causing engagement fatigue?" (lines 954-956) has no
    number in it; the cap is the strategy's own rule (default 3 contacts a
    quarter, i.e. one a month), to be set by the team.

    Parameters
    ----------
    contacts : DataFrame
        One row per contact (an invitation, an attended event, a survey
        request...) with the person and the date.
    person, date : str
        Column names of the person's id and the contact's date (dates or
        strings pandas can parse).
    cap : int, default 3
        Contacts a stakeholder may have in a quarter; more is over the cap.

    Returns
    -------
    DataFrame
        Sorted by quarter; for each quarter first the stakeholder rows
        (``row = "stakeholder"``: the ``person`` column, ``contacts``,
        ``over_cap`` = contacts > cap), then one summary row (``row =
        "quarter"``: ``contacts`` = all contacts of the quarter,
        ``stakeholders`` = people contacted, ``over_cap_stakeholders``,
        ``share_over_cap``). Columns a row kind does not use are empty.
        ``quarter`` is a string such as ``"2025Q1"``. Only people with
        at least one contact in a quarter are counted in it.

    Raises
    ------
    InputError
        A column is missing, a cell is empty, a date cannot be read, or the
        cap is not an integer >= 0.

    Examples
    --------
    >>> import pandas as pd
    >>> c = pd.DataFrame({"stakeholder": ["a"] * 4 + ["b"],
    ...                   "date": ["2025-01-05", "2025-02-01", "2025-03-01", "2025-03-31", "2025-02-10"]})
    >>> engagement_fatigue(c)[["quarter", "row", "stakeholder", "contacts", "over_cap", "share_over_cap"]]
      quarter          row stakeholder  contacts  over_cap  share_over_cap
    0  2025Q1  stakeholder           a         4      True             NaN
    1  2025Q1  stakeholder           b         1     False             NaN
    2  2025Q1      quarter         NaN         5      <NA>             0.5
    """
    df = require_frame(contacts, "contacts")
    require_columns(df, "contacts", person=person, date=date)
    if person == date:
        raise InputError(f"person= and date= must name different columns; got {person!r} twice")
    check_number("cap", cap, low=0, integer=True)
    require_no_missing(df, "contacts", (person, date))
    when = pd.to_datetime(df[date], errors="coerce")
    bad = when.isna()
    if bad.any():
        raise InputError(
            f"contacts column {date!r} has {int(bad.sum())} values that are not dates "
            f"(e.g. {short_list(df.loc[bad, date].head(3).tolist())})"
        )
    quarter = when.dt.to_period("Q").astype(str)
    counts = (
        pd.DataFrame({"quarter": quarter.to_numpy(), person: df[person].to_numpy()})
        .groupby(["quarter", person], sort=True)
        .size()
        .rename("contacts")
        .reset_index()
    )
    counts["over_cap"] = counts["contacts"] > cap
    people = counts.assign(row="stakeholder")
    summary = (
        counts.groupby("quarter", sort=True)
        .agg(
            contacts=("contacts", "sum"),
            stakeholders=(person, "size"),
            over_cap_stakeholders=("over_cap", "sum"),
        )
        .reset_index()
        .assign(row="quarter")
    )
    summary["share_over_cap"] = summary["over_cap_stakeholders"] / summary["stakeholders"]
    people["over_cap"] = people["over_cap"].astype("boolean")
    out = pd.concat([people, summary], ignore_index=True)
    out["_order"] = (out["row"] == "quarter").astype(int)
    out = out.sort_values(["quarter", "_order"], kind="stable").drop(columns="_order")
    cols = ["quarter", "row", person, "contacts", "over_cap", "stakeholders"]
    cols += ["over_cap_stakeholders", "share_over_cap"]
    out = out[cols].reset_index(drop=True)
    out["cap"] = cap
    for col in ("stakeholders", "over_cap_stakeholders"):
        out[col] = out[col].astype("Int64")
    return out
