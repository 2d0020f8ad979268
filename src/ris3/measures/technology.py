"""Technology against economy: where patent and employment specialisation match.

The report suggests "comparing technology advantages (using patent
indicators) and scientific excellence (using publications data)" to see "the
match or mismatch between scientific and economic potential in a region"
(``clusters-and-s3-report.txt`` lines 1642-1645). Patents are classified by
technology field, employment by industry; the bridge is the probabilistic
concordance of WIPO's 35 technology fields to NACE Rev. 2 divisions of
Neuhaeusler, Frietsch and Kroll (2019), *Probabilistic concordance schemes
for the re-assignment of patents to economic sectors and scientific
publications to technology fields*, Fraunhofer ISI Discussion Papers
Innovation Systems and Policy Analysis No. 60, bundled as
``data/hierarchies/concordances/wipo35_nace_isi2019.csv`` (built by
``scripts/build_wipo_nace.py``; cite the paper wherever you use it).
"""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd

from ris3._compat import renamed_parameters
from ris3._validation import check_number, short_list
from ris3.errors import ClassificationError, InputError

__all__ = [
    "tech_economy_match",
    "wipo_nace_concordance",
    "science_wipo_concordance",
    "publications_to_fields",
    "MATCH_CLASSES",
]

#: The match classes, in order: both specialised, technology only, industry only, neither.
MATCH_CLASSES: tuple[str, ...] = ("both", "technology only", "industry only", "neither")

CITATION = (
    "Neuhaeusler, Frietsch and Kroll (2019), Probabilistic concordance schemes for the "
    "re-assignment of patents to economic sectors and scientific publications to technology "
    "fields, Fraunhofer ISI Discussion Papers Innovation Systems and Policy Analysis No. 60"
)


def _key(name: object) -> str:
    return re.sub(r"[^a-z0-9]", "", str(name).lower())


def wipo_nace_concordance(path: str | Path | None = None) -> pd.DataFrame:
    """Return the WIPO-35 -> NACE Rev. 2 division concordance as a tidy table.

    Columns ``wipo_code`` (W35F01..W35F35), ``wipo_field``, ``nace_division``
    (e.g. ``"C29"``) and ``share`` (share of the field's patents assigned to
    the division; each field sums to 1). ``attrs["citation"]`` holds the
    source. ``path`` reads another table with the same columns.

    Examples
    --------
    >>> c = wipo_nace_concordance()
    >>> c["wipo_code"].nunique(), float(round(c.groupby("wipo_code")["share"].sum().min(), 3))
    (35, 1.0)
    >>> c.attrs["citation"][:40]
    'Neuhaeusler, Frietsch and Kroll (2019), '
    """
    if path is None:
        ref = (
            resources.files("ris3.data")
            / "hierarchies"
            / "concordances"
            / "wipo35_nace_isi2019.csv"
        )
        with resources.as_file(ref) as p:
            df = pd.read_csv(p, dtype={"nace_division": str})
    else:
        df = pd.read_csv(path, dtype={"nace_division": str})
    need = {"wipo_code", "wipo_field", "nace_division", "share"}
    if not need <= set(df.columns):
        raise InputError(
            f"the concordance needs columns {short_list(sorted(need))}; got {short_list(list(df.columns))}"
        )
    df.attrs["citation"] = CITATION
    return df


def science_wipo_concordance() -> pd.DataFrame:
    """Scientific disciplines (27 Scopus subject areas) -> WIPO-35 fields, as a tidy table.

    Columns ``discipline_code`` (1-27), ``discipline``, ``wipo_code``,
    ``wipo_field`` and ``share`` (share of the discipline's publications
    assigned to the field; each discipline sums to 1), from the same source
    as :func:`wipo_nace_concordance` (sheet "Scientific disc. by WIPO35 cl.").

    Examples
    --------
    >>> c = science_wipo_concordance()
    >>> c["discipline"].nunique(), float(round(c.groupby("discipline")["share"].sum().max(), 3))
    (27, 1.0)
    """
    ref = (
        resources.files("ris3.data") / "hierarchies" / "concordances" / "science_wipo35_isi2019.csv"
    )
    with resources.as_file(ref) as p:
        df = pd.read_csv(p)
    df.attrs["citation"] = CITATION
    return df


def publications_to_fields(
    publications: pd.DataFrame,
    *,
    region: str = "region",
    discipline: str = "discipline",
    value: str = "publications",
) -> pd.DataFrame:
    """Re-assign publications by scientific discipline to the 35 WIPO technology fields.

    ``pubs[r, f] = sum_s pubs[r, s] c[s, f]`` with ``c`` from
    :func:`science_wipo_concordance`; the result can be passed to
    :func:`tech_economy_match` as ``technology`` (with ``field="wipo_code"``
    and ``patents="publications"``) to set science against the economy, as
    the report suggests for "scientific excellence (using publications
    data)" (lines 1642-1645). Disciplines are matched by name (ignoring case
    and punctuation) or by their number 1-27.

    Returns
    -------
    DataFrame
        ``region``, ``wipo_code``, ``wipo_field``, ``publications`` (the
        ``value`` name), one row per region x field with a positive share.

    Raises
    ------
    ClassificationError
        A discipline is not one of the 27.

    Examples
    --------
    >>> p = pd.DataFrame({"region": ["x"], "discipline": ["Medicine"], "publications": [100.0]})
    >>> f = publications_to_fields(p)
    >>> round(float(f["publications"].sum()), 3)  # shares are published to six decimals
    100.0
    """
    conc = science_wipo_concordance()
    for col in (region, discipline, value):
        if col not in publications.columns:
            raise InputError(
                f"publications has no column {col!r}; available columns: "
                f"{short_list(map(str, publications.columns), 20)}"
            )
    names = {_key(d): d for d in conc["discipline"].unique()}
    names.update({str(n): d for n, d in zip(conc["discipline_code"], conc["discipline"])})
    disc = publications[discipline].map(lambda v: names.get(_key(v)) or names.get(str(v)))
    if disc.isna().any():
        bad = sorted(set(publications.loc[disc.isna(), discipline].astype(str)))
        raise ClassificationError(
            f"disciplines not among the 27 of the concordance: {short_list(bad, 5)}; allowed: "
            f"{short_list(sorted(conc['discipline'].unique()), 5)}"
        )
    vals = pd.to_numeric(publications[value], errors="coerce")
    merged = pd.DataFrame({region: publications[region], "discipline": disc, "_v": vals}).merge(
        conc, on="discipline"
    )
    merged[value] = merged["_v"] * merged["share"]
    out = merged.groupby([region, "wipo_code", "wipo_field"], as_index=False, sort=True)[value].sum(
        min_count=1
    )
    out.attrs["citation"] = CITATION
    return out


def _shares(values: np.ndarray) -> np.ndarray:
    """Row shares of a regions x items matrix; NaN cells stay NaN, totals from observed cells."""
    tot = np.nansum(values, axis=1, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(tot > 0, values / np.where(tot > 0, tot, 1.0), np.nan)


@renamed_parameters(employment="value")
def tech_economy_match(
    technology: pd.DataFrame,
    industry: pd.DataFrame,
    *,
    region: str = "region",
    field: str = "field",
    patents: str = "patents",
    activity: str = "activity",
    value: str = "employment",
    technology_reference: pd.DataFrame | None = None,
    industry_reference: pd.DataFrame | None = None,
    concordance: pd.DataFrame | None = None,
    threshold: float = 1.0,
) -> pd.DataFrame:
    """Technological (RTA) against industrial (LQ) specialisation by NACE division.

    Patents by technology field are re-assigned to NACE divisions through the
    probabilistic concordance: ``P[r, d] = sum_f P[r, f] s[f, d]`` with
    ``s[f, d]`` the share of field ``f``'s patents filed by firms in division
    ``d``. The revealed technological advantage is
    ``RTA[r, d] = (P[r, d] / P[r, .]) / (P_ref[d] / P_ref[.])`` and the
    location quotient ``LQ[r, d] = (E[r, d] / E[r, .]) / (E_ref[d] / E_ref[.])``.
    A division's match class is ``both`` (RTA >= threshold and LQ >=
    threshold), ``technology only``, ``industry only`` or ``neither``.

    Notes
    -----
    An RTA resting on a handful of patents is noisy (a service division may
    receive under one patent by the concordance): read ``patents_assigned``
    beside it. The LQ reference is the business economy the industry table
    covers (for Eurostat SBS, sections B-N and S95), and a reference total
    built from the regions given sums their known cells only.

    Parameters
    ----------
    technology : DataFrame
        One row per region x technology field with a patent count. Fields are
        WIPO-35 codes (``W35F01``) or titles (matched ignoring case, spaces
        and hyphens, e.g. ``"micro-structural and nano-technology"``).
    industry : DataFrame
        One row per region x NACE division (``"C29"``) with employment;
        missing cells (NaN) stay missing: their LQ and class are NA and the
        region's total is the sum of its known cells (``industry_incomplete``
        says where).
    region, field, patents, activity, value : str
        Column names.
    technology_reference, industry_reference : DataFrame, optional
        Reference totals by field (columns ``field``, ``patents``) and by
        division (``activity`` and ``value`` columns), e.g. the world's patents.
        Default: the sum over the regions given.
    concordance : DataFrame, optional
        Default :func:`wipo_nace_concordance`.
    threshold : float, default 1.0
        Specialisation threshold for both RTA and LQ.

    Returns
    -------
    DataFrame
        One row per region x division present in both tables' coverage
        (divisions of the concordance that ``industry`` lists): ``region``,
        ``nace_division``, ``patents_assigned``, ``rta``, ``employment``,
        ``lq``, ``match`` (NA where either side is missing) and
        ``industry_incomplete``. ``attrs["citation"]`` cites the concordance.

    Raises
    ------
    InputError
        A column is missing, a value is negative or not numeric.
    ClassificationError
        A technology field is not one of the 35 WIPO fields.

    Examples
    --------
    >>> tech = pd.DataFrame({"region": ["x", "x", "y", "y"],
    ...                      "field": ["Transport", "Pharmaceuticals"] * 2, "patents": [90, 10, 10, 90]})
    >>> ind = pd.DataFrame({"region": ["x", "x", "y", "y"], "activity": ["C29", "C21"] * 2,
    ...                     "employment": [50, 50, 10, 90]})
    >>> m = tech_economy_match(tech, ind)
    >>> m.loc[m["region"] == "x", ["nace_division", "match"]].values.tolist()
    [['C21', 'neither'], ['C29', 'both']]
    """
    check_number("threshold", threshold, low=0, low_inclusive=False)
    for what, df, cols in (
        ("technology", technology, {"region": region, "field": field, "patents": patents}),
        ("industry", industry, {"region": region, "activity": activity, "value": value}),
    ):
        if not isinstance(df, pd.DataFrame):
            raise InputError(f"{what} must be a pandas DataFrame; got {type(df).__name__}")
        for role, col in cols.items():
            if col not in df.columns:
                raise InputError(
                    f"{what} has no column {col!r} (given as {role}=); available columns: "
                    f"{short_list(map(str, df.columns), 20)}"
                )
    conc = wipo_nace_concordance() if concordance is None else concordance
    by_code = {c: c for c in conc["wipo_code"].unique()}
    by_title = {_key(t): c for t, c in zip(conc["wipo_field"], conc["wipo_code"])}

    def to_code(v: object) -> str | None:
        return by_code.get(str(v)) or by_title.get(_key(v))

    def tech_matrix(df: pd.DataFrame, regions: bool) -> tuple[list[object], np.ndarray]:
        codes = df[field].map(to_code)
        if codes.isna().any():
            bad = sorted(set(df.loc[codes.isna(), field].astype(str)))
            raise ClassificationError(
                f"technology fields not among the 35 WIPO fields: {short_list(bad, 5)}; allowed: "
                "codes W35F01..W35F35 or their titles"
            )
        vals = pd.to_numeric(df[patents], errors="coerce")
        if (vals < 0).any():
            raise InputError(f"{patents!r} must be >= 0; got negative counts")
        key = df[region] if regions else pd.Series("reference", index=df.index)
        wide = (
            pd.DataFrame({"r": key, "f": codes, "v": vals})
            .groupby(["r", "f"], sort=False)["v"]
            .sum(min_count=1)
            .unstack()
            .reindex(columns=field_codes)
        )
        return wide.index.tolist(), wide.to_numpy(dtype=float)

    field_codes = sorted(by_code)
    s = (
        conc.pivot_table(index="wipo_code", columns="nace_division", values="share", aggfunc="sum")
        .reindex(index=field_codes)
        .fillna(0.0)
    )
    regions_t, pt = tech_matrix(technology, True)
    if technology_reference is None:
        p_ref = np.nansum(pt, axis=0, keepdims=True)
    else:
        _, p_ref = tech_matrix(technology_reference, False)
    # a field with no count for a region has no patents there (counts are of events)
    assigned = np.nan_to_num(pt) @ s.to_numpy()
    assigned_ref = np.nan_to_num(p_ref) @ s.to_numpy()
    with np.errstate(invalid="ignore", divide="ignore"):
        rta = _shares(assigned) / _shares(assigned_ref)

    emp = pd.to_numeric(industry[value], errors="coerce")
    if (emp < 0).any():
        raise InputError(f"{value!r} must be >= 0; got negative values")
    e_wide = (
        pd.DataFrame({"r": industry[region], "a": industry[activity].astype(str), "v": emp})
        .groupby(["r", "a"], sort=False)["v"]
        .sum(min_count=1)
        .unstack()
    )
    divisions = [d for d in s.columns if d in e_wide.columns]
    e_wide = e_wide.reindex(columns=divisions)
    e = e_wide.to_numpy(dtype=float)
    if industry_reference is None:
        e_ref = np.nansum(e, axis=0, keepdims=True)
    else:
        ir = industry_reference
        e_ref = (
            ir.assign(_v=pd.to_numeric(ir[value], errors="coerce"))
            .groupby(ir[activity].astype(str))["_v"]
            .sum(min_count=1)
            .reindex(divisions)
            .to_numpy(dtype=float)[None, :]
        )
    with np.errstate(invalid="ignore", divide="ignore"):
        lq = _shares(e) / _shares(e_ref)
    incomplete = np.isnan(e).any(axis=1)

    regions = [r for r in regions_t if r in set(e_wide.index)]
    ti = {r: i for i, r in enumerate(regions_t)}
    ei = {r: i for i, r in enumerate(e_wide.index)}
    di = [list(s.columns).index(d) for d in divisions]
    rows = []
    for r in regions:
        for j, d in enumerate(divisions):
            rows.append(
                (
                    r,
                    d,
                    assigned[ti[r], di[j]],
                    rta[ti[r], di[j]],
                    e[ei[r], j],
                    lq[ei[r], j],
                    incomplete[ei[r]],
                )
            )
    out = pd.DataFrame(
        rows,
        columns=[
            region,
            "nace_division",
            "patents_assigned",
            "rta",
            "employment",
            "lq",
            "industry_incomplete",
        ],
    )
    t_spec = out["rta"] >= threshold
    i_spec = out["lq"] >= threshold
    match = np.select(
        [t_spec & i_spec, t_spec & ~i_spec, ~t_spec & i_spec],
        list(MATCH_CLASSES[:3]),
        MATCH_CLASSES[3],
    )
    out["match"] = pd.Series(match, dtype="string").mask(out["rta"].isna() | out["lq"].isna())
    out = out[
        [
            region,
            "nace_division",
            "patents_assigned",
            "rta",
            "employment",
            "lq",
            "match",
            "industry_incomplete",
        ]
    ]
    out.attrs["citation"] = CITATION
    return out
