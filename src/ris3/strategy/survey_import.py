"""Import survey responses: tidy tables, LimeSurvey exports, KoboToolbox/XLSForm exports.

Each reader returns a :class:`SurveyImport`: the answers as a tidy table,
the mapping of every source column (what it became, or why it was not
used) and every rejected row or value with its reason. Nothing is dropped
silently: a row of the source is either in ``responses`` or in
``rejected``, and a column either maps or is listed as not mapped.
:func:`ratings_from_import` then turns a domain x rating question into the
ratings table of :mod:`ris3.strategy.surveys`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from ris3._foreign_errors import parser_error_types
from ris3._validation import short_list
from ris3.errors import DataFileError, InputError
from ris3.strategy._common import require_columns, require_frame
from ris3.strategy.vocabulary import helix_key

__all__ = [
    "SurveyImport",
    "read_survey_table",
    "read_limesurvey",
    "read_xlsform",
    "ratings_from_import",
    "ImportPlan",
    "plan_import",
    "QUESTION_KINDS",
]

_RESPONSE_COLS = ["respondent", "question", "item", "value"]
_MAPPING_COLS = ["column", "kind", "question", "item", "note"]
_REJECT_COLS = ["row", "respondent", "column", "value", "reason"]


@dataclass(frozen=True)
class SurveyImport:
    """What an import found: answers, the column mapping and the rejections.

    Attributes
    ----------
    source : str
        ``"table"``, ``"limesurvey"`` or ``"xlsform"``.
    responses : DataFrame
        ``respondent``, ``question``, ``item`` ("" for a question without
        sub-items), ``value`` (text as exported).
    mapping : DataFrame
        One row per source column: ``column``, ``kind`` (``"answer"``,
        ``"respondent"``, ``"metadata"``, ``"not mapped"``), ``question``,
        ``item``, ``note``.
    rejected : DataFrame
        ``row`` (1-based data row of the source), ``respondent``, ``column``
        ("" for a whole row), ``value``, ``reason``.
    rows : int
        Data rows in the source.
    """

    source: str
    responses: pd.DataFrame
    mapping: pd.DataFrame
    rejected: pd.DataFrame
    rows: int

    def summary(self) -> str:
        """One paragraph for a preview page.

        Examples
        --------
        >>> t = pd.DataFrame({"respondent": ["a"], "question": ["q1"], "value": ["4"]})
        >>> print(read_survey_table(t).summary())
        table: 1 rows, 1 respondents, 1 answers to 1 questions; 0 rows and 0 values rejected; 0 columns not mapped
        """
        rej_rows = int((self.rejected["column"] == "").sum())
        return (
            f"{self.source}: {self.rows} rows, {self.responses['respondent'].nunique()} respondents, "
            f"{len(self.responses)} answers to {self.responses['question'].nunique()} questions; "
            f"{rej_rows} rows and {len(self.rejected) - rej_rows} values rejected; "
            f"{int((self.mapping['kind'] == 'not mapped').sum())} columns not mapped"
        )


def _read(data: pd.DataFrame | str | Path, what: str) -> pd.DataFrame:
    """Return a DataFrame of strings from a DataFrame, a CSV or an XLSX file."""
    if isinstance(data, pd.DataFrame):
        return data.astype(object).where(data.notna(), None)
    path = Path(data)
    if not path.exists():
        raise DataFileError(f"{what} file not found: {path}")
    try:
        if path.suffix.lower() in (".xlsx", ".xlsm"):
            df = pd.read_excel(path, dtype=str)
        else:
            df = pd.read_csv(
                path, dtype=str, keep_default_na=False, na_values=[""], sep=None, engine="python"
            )
    except parser_error_types() as exc:  # any parser failure is a bad file
        raise DataFileError(f"{what} file {path.name} cannot be read: {exc}") from exc
    return df.astype(object).where(df.notna(), None)


def _empty(v: object) -> bool:
    return (
        v is None
        or (isinstance(v, float) and np.isnan(v))
        or (isinstance(v, str) and not v.strip())
    )


def _frames(
    resp: list[tuple], mapping: list[tuple], rejected: list[tuple]
) -> tuple[pd.DataFrame, ...]:
    return (
        pd.DataFrame(resp, columns=_RESPONSE_COLS, dtype=object),
        pd.DataFrame(mapping, columns=_MAPPING_COLS, dtype=object),
        pd.DataFrame(rejected, columns=_REJECT_COLS, dtype=object),
    )


def read_survey_table(
    data: pd.DataFrame | str | Path,
    *,
    respondent: str = "respondent",
    question: str = "question",
    value: str = "value",
    item: str | None = None,
) -> SurveyImport:
    """Read a tidy table of answers (one row per respondent x question [x item]).

    Empty answers are listed in ``rejected`` ("no answer"); a repeated
    respondent x question x item keeps its first row and rejects the others.
    Other columns are reported as not mapped.

    Examples
    --------
    >>> t = pd.DataFrame({"respondent": ["a", "a", "b"], "question": ["q1", "q1", "q1"],
    ...                   "value": ["4", "5", None]})
    >>> imp = read_survey_table(t)
    >>> imp.rejected["reason"].tolist()
    ['repeats respondent, question and item of row 1', 'no answer']
    """
    df = _read(data, "survey table")
    require_columns(
        df, "the survey table", respondent=respondent, question=question, value=value, item=item
    )
    used = {respondent: "respondent", question: "answer", value: "answer"}
    if item is not None:
        used[item] = "answer"
    mapping = [
        (
            c,
            used.get(c, "not mapped"),
            "",
            "",
            "" if c in used else "not one of respondent=, question=, value=, item=",
        )
        for c in df.columns
    ]
    resp: list[tuple] = []
    rejected: list[tuple] = []
    seen: dict[tuple[str, ...] | str, int] = {}
    for i, row in enumerate(df.itertuples(index=False), start=1):
        r = dict(zip(df.columns, row))
        who, q, v = r[respondent], r[question], r[value]
        it = "" if item is None or _empty(r[item]) else str(r[item])
        if _empty(who) or _empty(q):
            rejected.append(
                (i, "" if _empty(who) else str(who), "", v, "no respondent or no question")
            )
            continue
        key = (str(who), str(q), it)
        if key in seen:
            rejected.append(
                (i, str(who), "", v, f"repeats respondent, question and item of row {seen[key]}")
            )
            continue
        seen[key] = i
        if _empty(v):
            rejected.append((i, str(who), value, "", "no answer"))
            continue
        resp.append((str(who), str(q), it, str(v)))
    responses, maps, rejects = _frames(resp, mapping, rejected)
    return SurveyImport("table", responses, maps, rejects, rows=len(df))


_LS_META = {
    "id", "submitdate", "lastpage", "startlanguage", "seed", "token", "startdate", "datestamp",
    "ipaddr", "refurl", "interviewtime", "optout", "lastname", "firstname", "email",
}  # fmt: skip
_LS_CODE = re.compile(r"^([A-Za-z][A-Za-z0-9_]*)((?:\[[^\[\]\s]+\])*)$")


def read_limesurvey(data: pd.DataFrame | str | Path) -> SurveyImport:
    """Read a LimeSurvey response export (CSV, "question code" headings).

    Headings are question codes, with sub-question codes in brackets
    (``Q2[SQ001]``; array dual scale ``Q3[SQ001][1]`` becomes item
    ``SQ001_1``; ``[other]`` and ``[comment]`` are items too). ``id``,
    ``submitdate``, ``token`` and the other system columns are metadata; the
    respondent is the token when the survey used tokens, else the response
    id. Headings that are not question codes (an export with full question
    texts, timing columns such as ``Q1Time`` or ``groupTime12``) are listed
    as not mapped. Rejected: responses
    without ``submitdate`` (LimeSurvey stores partial answers of people who
    did not finish), and a second response with a token already used.

    Examples
    --------
    >>> t = pd.DataFrame({"id": ["1", "2"], "submitdate": ["2025-03-01 10:00:00", None],
    ...                   "token": ["tk1", "tk2"], "Q1[SQ001]": ["4", "2"]})
    >>> imp = read_limesurvey(t)
    >>> imp.responses.values.tolist()
    [['tk1', 'Q1', 'SQ001', '4']]
    >>> imp.rejected["reason"].tolist()
    ['incomplete response (no submitdate): LimeSurvey keeps answers of unfinished surveys']
    """
    df = _read(data, "LimeSurvey export")
    mapping, answer_cols = [], {}
    for c in df.columns:
        name = str(c)
        if name.lower() in _LS_META:
            kind = "respondent" if name.lower() in ("token", "id") else "metadata"
            mapping.append((name, kind, "", "", ""))
            continue
        m = _LS_CODE.match(name)
        if m is None or re.search(r"Time\d*$", name):
            mapping.append(
                (
                    name,
                    "not mapped",
                    "",
                    "",
                    "not a question code (export with question-code headings)",
                )
            )
            continue
        q = m.group(1)
        subs = re.findall(r"\[([^\]]+)\]", m.group(2))
        it = "_".join(subs)
        answer_cols[name] = (q, it)
        mapping.append((name, "answer", q, it, ""))
    if "id" not in df.columns:
        raise InputError(
            "a LimeSurvey response export has an 'id' column; this file has none "
            f"(columns: {short_list(list(df.columns), 8)})"
        )
    has_token = "token" in df.columns and df["token"].map(lambda v: not _empty(v)).any()
    resp: list[tuple] = []
    rejected: list[tuple] = []
    tokens: dict[str, object] = {}
    for i, row in enumerate(df.itertuples(index=False), start=1):
        r = dict(zip(df.columns, row))
        who = str(r["token"]) if has_token and not _empty(r["token"]) else str(r["id"])
        if "submitdate" in df.columns and _empty(r["submitdate"]):
            rejected.append(
                (
                    i,
                    who,
                    "",
                    "",
                    "incomplete response (no submitdate): LimeSurvey keeps answers of unfinished surveys",
                )
            )
            continue
        if has_token and who in tokens:
            rejected.append((i, who, "", "", f"token already used by response id {tokens[who]}"))
            continue
        tokens[who] = r["id"]
        for col, (q, it) in answer_cols.items():
            if not _empty(r[col]):
                resp.append((who, q, it, str(r[col]).strip()))
    responses, maps, rejects = _frames(resp, mapping, rejected)
    return SurveyImport("limesurvey", responses, maps, rejects, rows=len(df))


_XLS_META = {
    "start",
    "end",
    "today",
    "deviceid",
    "username",
    "phonenumber",
    "audit",
    "simserial",
    "subscriberid",
}
_KOBO_META = {"_id", "_uuid", "_submission_time", "_validation_status", "_index", "_status", "_submitted_by",
              "_notes", "_tags", "_version_", "__version__", "meta/instanceid", "meta/rootuuid", "instanceid",
              "formhub/uuid", "_xform_id_string", "_attachments", "_geolocation", "meta/deprecatedid"}  # fmt: skip
_NO_ANSWER = {"note", "calculate", "begin group", "end group", "begin repeat", "end repeat", "begin_group",
              "end_group", "hidden"}  # fmt: skip


def _form_sheets(
    form: Mapping[str, pd.DataFrame] | str | Path,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    if isinstance(form, Mapping):
        sheets = dict(form)
    else:
        path = Path(form)
        if not path.exists():
            raise DataFileError(f"XLSForm file not found: {path}")
        try:
            sheets = pd.read_excel(path, sheet_name=None, dtype=str)
        except parser_error_types() as exc:
            raise DataFileError(f"XLSForm file {path.name} cannot be read: {exc}") from exc
    if "survey" not in sheets:
        raise DataFileError(f"an XLSForm needs a 'survey' sheet; found {short_list(list(sheets))}")
    survey = require_frame(sheets["survey"], "the XLSForm survey sheet")
    require_columns(survey, "the XLSForm survey sheet", type="type", name="name")
    choices = sheets.get("choices", pd.DataFrame(columns=["list_name", "name"]))
    return survey, choices


def read_xlsform(
    form: Mapping[str, pd.DataFrame] | str | Path,
    data: pd.DataFrame | str | Path,
) -> SurveyImport:
    """Read a KoboToolbox (or any ODK) data export against its XLSForm.

    The form's ``survey`` sheet (``type``, ``name``, ``label`` or
    ``label::<language>``) and ``choices`` sheet (``list_name``, ``name``)
    say what each data column is. Data headings may be bare names or group
    paths (``grp/q1``); a ``select_multiple`` answer is a space-separated
    list of choices, each becoming an item with value ``"1"`` (Kobo's split
    columns ``q/choice`` with 0/1 are read the same way). Kobo's ``_uuid``
    identifies the respondent (else ``meta/instanceID``, ``_id``, the row).
    Rejected: a value not among a select question's choices, a non-number
    for ``integer``/``decimal``, and a repeated submission uuid.

    Examples
    --------
    >>> survey = pd.DataFrame({"type": ["select_one helix", "integer"], "name": ["helix", "age"],
    ...                        "label": ["Your helix", "Age"]})
    >>> choices = pd.DataFrame({"list_name": ["helix", "helix"], "name": ["business", "research"]})
    >>> data = pd.DataFrame({"_uuid": ["u1", "u2"], "helix": ["business", "farm"], "age": ["40", "x"]})
    >>> imp = read_xlsform({"survey": survey, "choices": choices}, data)
    >>> imp.responses.values.tolist()
    [['u1', 'helix', '', 'business'], ['u1', 'age', '', '40']]
    >>> imp.rejected["reason"].tolist()
    ["'farm' is not a choice of list 'helix' (choices: 'business', 'research')", "'x' is not a number (integer question)"]
    """
    survey, choices = _form_sheets(form)
    df = _read(data, "XLSForm data export")
    lists: dict[str, list[str]] = {}
    if len(choices):
        require_columns(choices, "the XLSForm choices sheet", list_name="list_name", name="name")
        for ln, nm in zip(choices["list_name"], choices["name"]):
            if not _empty(ln) and not _empty(nm):
                lists.setdefault(str(ln).strip(), []).append(str(nm).strip())
    questions: dict[str, tuple[str, str | None]] = {}
    for t, n in zip(survey["type"], survey["name"]):
        if _empty(t) or _empty(n):
            continue
        parts = str(t).strip().split()
        base = parts[0]
        if base in _NO_ANSWER or " ".join(parts[:2]) in _NO_ANSWER:
            continue
        questions[str(n).strip()] = (
            base,
            parts[1] if len(parts) > 1 and base.startswith("select") else None,
        )

    def resolve(col: str) -> tuple[str, str, str] | None:
        """(kind, question, item) for a heading."""
        low = col.lower()
        if low in _KOBO_META or low in _XLS_META or low.startswith("_"):
            return ("metadata", "", "")
        path = col.split("/")
        if len(path) >= 2 and path[-2] in questions and questions[path[-2]][0] == "select_multiple":
            return ("split", path[-2], path[-1])
        if path[-1] in questions:
            return ("answer", path[-1], "")
        return None

    mapping, cols = [], {}
    for c in df.columns:
        res = resolve(str(c))
        if res is None:
            mapping.append((str(c), "not mapped", "", "", "not a question of the form"))
        elif res[0] == "metadata":
            kind = (
                "respondent"
                if str(c).lower() in ("_uuid", "meta/instanceid", "_id")
                else "metadata"
            )
            mapping.append((str(c), kind, "", "", ""))
        else:
            cols[c] = res
            note = "split select_multiple column (0/1)" if res[0] == "split" else ""
            mapping.append((str(c), "answer", res[1], res[2], note))
    whole = {q for kind, q, _ in cols.values() if kind == "answer"}
    lower = {str(c).lower(): c for c in df.columns}
    id_col = next((lower[k] for k in ("_uuid", "meta/instanceid", "_id") if k in lower), None)
    resp: list[tuple] = []
    rejected: list[tuple] = []
    seen: dict[tuple[str, ...] | str, int] = {}
    for i, row in enumerate(df.itertuples(index=False), start=1):
        r = dict(zip(df.columns, row))
        who = str(r[id_col]) if id_col is not None and not _empty(r[id_col]) else f"row{i}"
        if who in seen:
            rejected.append(
                (i, who, "", "", f"submission {who} already imported from row {seen[who]}")
            )
            continue
        seen[who] = i
        for c, (kind, q, it) in cols.items():
            v = r[c]
            if _empty(v):
                continue
            v = str(v).strip()
            qtype, ln = questions[q]
            if kind == "split":
                if q in whole:
                    continue  # the whole-answer column already gives these items
                if v not in ("0", "1", "0.0", "1.0", "True", "False", "true", "false"):
                    rejected.append(
                        (i, who, str(c), v, "a split select_multiple column must be 0 or 1")
                    )
                elif v in ("1", "1.0", "True", "true"):
                    resp.append((who, q, it, "1"))
                continue
            if qtype in ("integer", "decimal", "range"):
                try:
                    float(v)
                except ValueError:
                    rejected.append(
                        (i, who, str(c), v, f"{v!r} is not a number ({qtype} question)")
                    )
                    continue
            if qtype in ("select_one", "select_multiple") and ln in lists:
                picked = v.split() if qtype == "select_multiple" else [v]
                bad = [p for p in picked if p not in lists[ln]]
                if bad:
                    rejected.append(
                        (
                            i,
                            who,
                            str(c),
                            v,
                            f"{bad[0]!r} is not a choice of list {ln!r} (choices: {short_list(lists[ln])})",
                        )
                    )
                    continue
                if qtype == "select_multiple":
                    resp.extend((who, q, p, "1") for p in picked)
                    continue
            resp.append((who, q, "", v))
    responses, maps, rejects = _frames(resp, mapping, rejected)
    return SurveyImport("xlsform", responses, maps, rejects, rows=len(df))


def ratings_from_import(
    imported: SurveyImport,
    *,
    rating_question: str,
    helix_question: str | None = None,
    sector_question: str | None = None,
    no_answer: Sequence[str] = ("N/A", "NA", "-oth-", "dont_know", "98", "99"),
    domains: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """Return the ratings table of :mod:`ris3.strategy.surveys` from a domain x rating question.

    Each item of ``rating_question`` is a domain (renamed by ``domains`` if
    given); its value must be a number or one of ``no_answer`` (kept as a
    NaN rating: the respondent did not rate that domain). Helix answers are
    read with :func:`ris3.strategy.helix_key` (English and German spellings).

    Raises
    ------
    InputError
        The question is not in the import, a rating is neither a number nor
        a no-answer code, or a helix answer is not a known spelling.

    Examples
    --------
    >>> t = pd.DataFrame({"id": ["1", "2"], "submitdate": ["x", "y"], "Q1[AGRI]": ["4", "N/A"],
    ...                   "H": ["Wirtschaft", "university"]})
    >>> ratings_from_import(read_limesurvey(t), rating_question="Q1", helix_question="H")
      respondent domain  rating     helix
    0          1   AGRI     4.0  business
    1          2   AGRI     NaN  research
    """
    r = imported.responses
    part = r[r["question"] == rating_question]
    if part.empty:
        raise InputError(
            f"no answers to question {rating_question!r}; questions: {short_list(sorted(r['question'].unique()), 10)}"
        )
    vals = pd.to_numeric(part["value"], errors="coerce")
    bad = vals.isna() & ~part["value"].isin(list(no_answer))
    if bad.any():
        raise InputError(
            f"ratings of {rating_question!r} must be numbers or no-answer codes {short_list(list(no_answer))}; "
            f"got {short_list(part.loc[bad, 'value'].unique().tolist(), 5)}"
        )
    out = pd.DataFrame(
        {
            "respondent": part["respondent"].to_numpy(),
            "domain": part["item"].map(lambda d: domains.get(d, d) if domains else d).to_numpy(),
            "rating": vals.to_numpy(dtype=float),
        }
    )
    for col, q in (("helix", helix_question), ("sector", sector_question)):
        if q is None:
            continue
        ans = r[(r["question"] == q) & (r["item"] == "")].set_index("respondent")["value"]
        if col == "helix":
            keys = ans.map(helix_key)
            if keys.isna().any():
                raise InputError(
                    f"helix answers not recognised: {short_list(ans[keys.isna()].unique().tolist(), 5)}; "
                    "use a helix key or an accepted spelling (see HELIX_SPELLINGS)"
                )
            ans = keys
        out[col] = out["respondent"].map(ans)
    return out


#: the kinds of question a survey of the workspace has (``plan_import`` checks them)
QUESTION_KINDS = ("single", "multiple", "likert", "ranking", "text", "matrix")
_NO_ANSWER_CODES = ("N/A", "NA", "-oth-", "dont_know", "98", "99")
_SECTORS = {"public": "public", "private": "private", "öffentlich": "public", "privat": "private"}
_YES = {"1", "1.0", "y", "yes", "true", "ja"}


@dataclass(frozen=True)
class ImportPlan:
    """What an import would write into a survey, before anything is written.

    Attributes
    ----------
    respondents : DataFrame
        ``respondent``, ``helix``, ``sector`` of each accepted respondent.
    answers : DataFrame
        ``respondent``, ``question`` (the survey's code), ``item`` (a choice,
        a domain id, or ""), ``value``.
    mapping : DataFrame
        One row per source question x item: ``source_question``,
        ``source_item``, ``question``, ``item`` (empty when not mapped),
        ``answers``, ``note``.
    rejected : DataFrame
        ``respondent``, ``question``, ``item``, ``value``, ``reason``: the
        reader's rejections and those of the plan (``question`` empty for a
        whole respondent).
    """

    respondents: pd.DataFrame
    answers: pd.DataFrame
    mapping: pd.DataFrame
    rejected: pd.DataFrame


def _number(value: str) -> float | None:
    try:
        v = float(value)
    except ValueError:
        return None
    return v if np.isfinite(v) else None


def plan_import(
    imported: SurveyImport,
    questions: pd.DataFrame,
    *,
    domains: Mapping[str, str] | None = None,
    helix_question: str = "helix",
    sector_question: str = "sector",
    existing: Sequence[str] = (),
    no_answer: Sequence[str] = _NO_ANSWER_CODES,
) -> ImportPlan:
    """Map an import onto a survey's questions: what goes where, what is rejected and why.

    Parameters
    ----------
    imported : SurveyImport
        From :func:`read_survey_table`, :func:`read_limesurvey` or
        :func:`read_xlsform`.
    questions : DataFrame
        The survey's questions: ``code``, ``kind`` (one of
        :data:`QUESTION_KINDS`), ``choices`` (list of str), ``scale_min``,
        ``scale_max``. Source questions are matched on ``code``.
    domains : mapping, optional
        Source item of a matrix question -> domain id (e.g. NACE code ->
        id); an item not in it is rejected.
    helix_question, sector_question : str
        The source questions that give each respondent's helix (any spelling
        :func:`ris3.strategy.helix_key` reads) and sector (public/private).
    existing : sequence of str
        Respondents imported before: rejected whole ("already imported").
    no_answer : sequence of str
        Codes of "no answer": not a rating, left missing (listed in
        ``rejected`` so that nothing disappears silently).

    Rules: a respondent without a recognised helix or sector is rejected
    whole (every survey response states both); a single-choice value or a
    multiple-choice item must be a choice; a Likert or matrix rating a
    number within the scale; ranking ranks whole numbers 1..n without
    repeats (LimeSurvey's ``Q[1] = choice`` form is read too); free text is
    taken as is.

    Examples
    --------
    >>> t = pd.DataFrame({"respondent": ["a", "a", "a", "b", "b"],
    ...                   "question": ["helix", "sector", "str", "helix", "str"],
    ...                   "item": ["", "", "I55", "", "I55"],
    ...                   "value": ["business", "private", "4", "research", "9"]})
    >>> q = pd.DataFrame({"code": ["str"], "kind": ["matrix"], "choices": [[]],
    ...                   "scale_min": [1], "scale_max": [5]})
    >>> plan = plan_import(read_survey_table(t, item="item"), q, domains={"I55": "7"})
    >>> plan.answers.values.tolist()
    [['a', 'str', '7', '4']]
    >>> plan.rejected["reason"].tolist()
    ['no sector (public or private) stated']
    """
    require_columns(
        questions, "questions", code="code", kind="kind", choices="choices",
        scale_min="scale_min", scale_max="scale_max",
    )  # fmt: skip
    bad_kind = sorted(set(questions["kind"]) - set(QUESTION_KINDS))
    if bad_kind:
        raise InputError(
            f"question kinds must be one of {short_list(QUESTION_KINDS)}; got {bad_kind}"
        )
    qs = {str(r["code"]): r for r in questions.to_dict("records")}
    r = imported.responses
    rejected: list[tuple] = [
        (str(x["respondent"]), "", "", "" if x["value"] is None else str(x["value"]), x["reason"])
        for x in imported.rejected.to_dict("records")
    ]
    people: list[tuple] = []
    answers: list[tuple] = []
    used: dict[tuple[str, str], tuple[str, str, int, str]] = {}

    def note(sq: str, si: str, q: str, it: str, why: str = "") -> None:
        key = (sq, si)
        old = used.get(key)
        used[key] = (
            q,
            it,
            (old[2] if old else 0) + (1 if q else 0),
            why or (old[3] if old else ""),
        )

    done = set(existing)
    for who, part in r.groupby("respondent", sort=False):
        who = str(who)
        own = {
            (str(q), str(i)): str(v)
            for q, i, v in zip(part["question"], part["item"], part["value"])
        }
        hx = own.get((helix_question, ""))
        sc = own.get((sector_question, ""))
        hkey = helix_key(hx) if hx is not None else None
        skey = _SECTORS.get(sc.strip().lower()) if sc is not None else None
        reason = (
            "already imported" if who in done
            else "no helix stated" if hx is None
            else f"helix {hx!r} is not one the workspace knows" if hkey is None
            else "no sector (public or private) stated" if sc is None
            else f"sector {sc!r} is neither public nor private" if skey is None
            else ""
        )  # fmt: skip
        if reason:
            rejected.append((who, "", "", "", reason))
            continue
        people.append((who, hkey, skey))
        ranks: dict[str, list[tuple[str, str, str]]] = {}
        for (sq, si), v in own.items():
            if sq in (helix_question, sector_question):
                note(sq, si, sq, "", "respondent's group")
                continue
            if sq not in qs:
                note(sq, si, "", "", "no question with this code in the survey")
                continue
            q = qs[sq]
            kind, choices = q["kind"], [str(c) for c in (q["choices"] or [])]
            lo, hi = q["scale_min"], q["scale_max"]
            if kind in ("likert", "matrix") and v in no_answer:
                rejected.append((who, sq, si, v, "no-answer code: left missing, not a rating"))
                note(sq, si, sq, si)
                continue
            item, why = si, ""
            if kind == "single":
                item = ""
                why = "" if v in choices else f"{v!r} is not a choice ({short_list(choices)})"
            elif kind == "multiple":
                item = si if si else v
                why = (
                    f"{item!r} is not a choice ({short_list(choices)})" if item not in choices
                    else "" if not si or v.strip().lower() in _YES
                    else "skip"
                )  # fmt: skip
                v = "1"
            elif kind in ("likert", "matrix"):
                num = _number(v)
                if kind == "matrix":
                    item = (domains or {}).get(si, "")
                    why = "" if item else f"{si!r} is not one of the survey's domains"
                if not why and (num is None or not lo <= num <= hi):
                    why = f"{v!r} is not a rating between {lo:g} and {hi:g}"
                if kind == "likert":
                    item = ""
            elif kind == "ranking":
                if si.isdigit() and v in choices:  # LimeSurvey: Q[rank] = choice
                    si, v = v, si
                    item = si
                why = "" if si in choices else f"{si!r} is not a choice ({short_list(choices)})"
                if not why:
                    ranks.setdefault(sq, []).append((si, v, ""))
                    note(sq, si, sq, si)
                    continue
            if why == "skip":
                note(sq, si, sq, item)
                continue
            if why:
                rejected.append((who, sq, si, v, why))
                note(sq, si, "" if kind == "matrix" and not item else sq, item)
                continue
            answers.append((who, sq, item, v))
            note(sq, si, sq, item)
        for sq, given in ranks.items():
            n = len(qs[sq]["choices"] or [])
            vals = [_number(v) for _, v, _ in given]
            ok = all(x is not None and float(x).is_integer() and 1 <= x <= n for x in vals)
            if ok and len({int(x) for x in vals if x is not None}) == len(vals):
                answers.extend((who, sq, it, str(int(float(v)))) for it, v, _ in given)
            else:
                rejected.extend(
                    (who, sq, it, v, f"ranks must be whole numbers 1-{n}, each used once")
                    for it, v, _ in given
                )
    mapping = pd.DataFrame(
        [(sq, si, q, it, n, why) for (sq, si), (q, it, n, why) in used.items()],
        columns=["source_question", "source_item", "question", "item", "answers", "note"],
    )
    return ImportPlan(
        respondents=pd.DataFrame(people, columns=["respondent", "helix", "sector"], dtype=object),
        answers=pd.DataFrame(answers, columns=_RESPONSE_COLS, dtype=object),
        mapping=mapping,
        rejected=pd.DataFrame(
            rejected, columns=["respondent", "question", "item", "value", "reason"], dtype=object
        ),
    )
