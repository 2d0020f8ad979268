"""NUTS version conversion of regional counts with the JRC NUTS-converter matrices.

NUTS codes change between versions (2010, 2013, 2016, 2021): regions are
merged, split, recoded or have their borders moved. Eurostat series published
under an old version cannot be joined to newer boundaries or tables until
they are converted. ris3 converts NUTS-2 data with the converter matrices of
the European Commission's Joint Research Centre (JRC), which cut every old
region into *pieces*, one per new region it overlaps, and give each piece
weights: area, population (2011 and 2021 grids), artificial surface (2012,
2018) and built-up volume.

Method (for additive quantities: counts such as employment or local units,
and sums of money such as wages):

* the value of an old region is shared among its pieces in proportion to the
  chosen weight of each piece within the old region,
  ``piece = value * w_piece / sum(w of the old region's pieces)``;
* the value of a new region is the sum of the pieces it receives.

Totals are therefore conserved: for complete data, the sum over new regions
equals the sum over old regions. Rates, shares, per-capita values and growth
rates are *not* additive and must not be converted this way (convert their
numerator and denominator, then divide).

Missing values are not zero. With ``missing="propagate"`` (the default) a
new region that receives a piece of an old region whose value is missing is
missing too; with ``missing="drop"`` it is the sum of its non-missing pieces
and the result lists it in ``missing_pieces``.

Source of the matrices: European Commission, Joint Research Centre, NUTS
converter (re-use under the Commission's re-use policy); copied unchanged
into ``ris3/data/hierarchies/nuts_conversion`` by ``scripts/build_hierarchies.py``.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd

from ris3._compat import warn_renamed_option
from ris3._validation import check_number, check_option, short_list
from ris3.errors import ClassificationError, ConventionError, InputError

__all__ = [
    "NUTS_CONVERSION_PAIRS",
    "NUTS_CONVERSION_WEIGHTS",
    "ConversionResult",
    "convert_nuts",
    "nuts_concordance",
]

_HIERARCHIES = Path(__file__).with_name("hierarchies")

#: (from_version, to_version) pairs with a JRC NUTS-2 converter matrix.
NUTS_CONVERSION_PAIRS: tuple[tuple[int, int], ...] = (
    (2010, 2013),
    (2010, 2016),
    (2010, 2021),
    (2013, 2016),
    (2013, 2021),
    (2016, 2021),
)

#: weight name -> column of the JRC matrix. ``"population"`` is the 2011
#: census grid population, the closest to the years most series published
#: under old NUTS versions cover.
NUTS_CONVERSION_WEIGHTS: dict[str, str] = {
    "population": "pop11",
    "population_2011": "pop11",
    "population_2021": "pop21",
    "area": "areaKm",
    "artificial_surface_2012": "artif_surf12",
    "artificial_surface_2018": "artif_surf18",
    "built_up_volume": "bu_vol",
}

NutsWeight = Literal[
    "population",
    "population_2011",
    "population_2021",
    "area",
    "artificial_surface_2012",
    "artificial_surface_2018",
    "built_up_volume",
]
MissingConversion = Literal["propagate", "drop", "skip"]
UnknownPolicy = Literal["raise", "keep", "drop"]

_STATUS_ORDER = (
    "unchanged",
    "recoded",
    "split",
    "merged",
    "split_merged",
    "unknown_kept",
    "unknown_dropped",
    "other_level_kept",
    "other_level_dropped",
)


def _pairs_text() -> str:
    return ", ".join(f"{a}->{b}" for a, b in NUTS_CONVERSION_PAIRS)


def _check_pair(from_version: object, to_version: object) -> tuple[int, int]:
    versions = sorted({v for pair in NUTS_CONVERSION_PAIRS for v in pair})
    out = []
    for name, v in (("from_version", from_version), ("to_version", to_version)):
        try:
            iv = int(str(v)) if not isinstance(v, bool) else None
        except ValueError:
            iv = None
        if iv not in versions:
            raise ConventionError(
                f"{name} must be one of {', '.join(map(str, versions))}; got {v!r}"
            )
        out.append(iv)
    pair = (out[0], out[1])
    if pair not in NUTS_CONVERSION_PAIRS:
        raise ConventionError(
            f"no NUTS-2 conversion matrix from {pair[0]} to {pair[1]}; available "
            f"(from_version->to_version): {_pairs_text()}"
        )
    return pair


@functools.cache
def _matrix(from_version: int, to_version: int) -> pd.DataFrame:
    path = _HIERARCHIES / "nuts_conversion" / f"n2_cm_v{from_version}_v{to_version}.csv"
    a, b = f"code_v{from_version}", f"code_v{to_version}"
    m = pd.read_csv(path, dtype={a: str, b: str})
    return m.rename(columns={a: "from_code", b: "to_code"}).drop(columns="uniqueID")


def nuts_concordance(
    from_version: int, to_version: int = 2021, *, weight: NutsWeight = "population"
) -> pd.DataFrame:
    """Return the pieces of the JRC NUTS-2 converter matrix with their shares.

    Parameters
    ----------
    from_version, to_version : int
        NUTS versions; see ``NUTS_CONVERSION_PAIRS`` for the available pairs.
    weight : str, default "population"
        One of ``NUTS_CONVERSION_WEIGHTS``: ``"population"`` (2011 grid, same
        as ``"population_2011"``), ``"population_2021"``, ``"area"``,
        ``"artificial_surface_2012"``, ``"artificial_surface_2018"``,
        ``"built_up_volume"``.

    Returns
    -------
    DataFrame
        One row per piece: ``from_code``, ``to_code``, ``weight`` (the
        chosen weight of the piece) and ``share`` (its share of the old
        region's total weight; shares of an old region sum to 1). Pieces
        with zero weight have share 0 and carry nothing in a conversion.

    Raises
    ------
    ConventionError
        Unknown version pair or weight.

    Examples
    --------
    >>> c = nuts_concordance(2013, 2021)
    >>> lt = c[c["from_code"] == "LT00"]
    >>> lt["to_code"].tolist()
    ['LT01', 'LT02']
    >>> float(lt["share"].sum())
    1.0
    """
    a, b = _check_pair(from_version, to_version)
    check_option("weight", weight, tuple(NUTS_CONVERSION_WEIGHTS))
    m = _matrix(a, b)
    w = m[NUTS_CONVERSION_WEIGHTS[weight]].to_numpy(dtype=np.float64)
    total = pd.Series(w).groupby(m["from_code"].to_numpy()).transform("sum").to_numpy()
    if (total <= 0).any():  # no such region in the published matrices; guard anyway
        bad = sorted(set(m["from_code"].to_numpy()[total <= 0]))
        raise ClassificationError(
            f"weight={weight!r} is 0 for every piece of NUTS-{a} region(s) "
            f"{short_list(bad)}; choose another weight"
        )
    return pd.DataFrame(
        {
            "from_code": m["from_code"].to_numpy(),
            "to_code": m["to_code"].to_numpy(),
            "weight": w,
            "share": w / total,
        }
    )


def _code_status(pieces: pd.DataFrame) -> pd.DataFrame:
    """Status of every old code from the pieces with positive share."""
    pos = pieces[pieces["share"] > 0]
    n_from = pos.groupby("to_code")["from_code"].nunique()
    target_merged = pos["to_code"].map(n_from).to_numpy() > 1
    pos = pos.assign(_merged=target_merged, _same=pos["from_code"] == pos["to_code"])
    pos = pos.sort_values(["from_code", "to_code"])
    g = pos.groupby("from_code", sort=True)
    per = pd.DataFrame(
        {
            "n_to": g["to_code"].nunique(),
            "merged": g["_merged"].any(),
            "same": g["_same"].all(),
            "to_codes": g["to_code"].agg(" ".join),
        }
    )
    one = per["n_to"].to_numpy() == 1
    merged = per["merged"].to_numpy()
    status = np.select(
        [
            one & ~merged & per["same"].to_numpy(),
            one & ~merged,
            ~one & ~merged,
            one & merged,
        ],
        ["unchanged", "recoded", "split", "merged"],
        default="split_merged",
    )
    return pd.DataFrame({"status": status, "to_codes": per["to_codes"]}, index=per.index)


@dataclass(frozen=True)
class ConversionResult:
    """Data converted to another NUTS version, with a report of what happened.

    Attributes
    ----------
    table : DataFrame
        The converted tidy table: the same columns as the input, region codes
        of ``to_version``, one row per new region and combination of the
        other key columns. Codes passed through under ``unknown="keep"`` or
        ``other_levels="keep"`` keep their rows unchanged.
    codes : DataFrame
        One row per distinct input region code: ``from_code``, ``status``
        (``"unchanged"``, ``"recoded"`` (1:1 new code), ``"split"`` (into
        several new regions), ``"merged"`` (whole into a new region that
        also receives other old regions), ``"split_merged"`` (pieces go to
        several new regions, some of which also receive other old regions:
        a border change), ``"unknown_kept"``, ``"unknown_dropped"``,
        ``"other_level_kept"``, ``"other_level_dropped"``), ``to_codes``
        (space-separated new codes, empty for codes not converted) and
        ``n_rows`` (input rows with that code).
    missing_pieces : DataFrame
        Output rows that received a piece of a missing old value, or that
        lack a piece because an old region feeding them has no row for that
        combination of keys: the key columns, ``n_pieces`` (received),
        ``n_missing_pieces`` (received, value missing) and
        ``n_absent_pieces`` (not received). A missing piece makes the value
        missing under ``missing="propagate"``; under ``"drop"``, and for
        absent pieces (ris3 reads an absent row as 0, as in every tidy
        table), the value is the sum of the pieces received.
    from_version, to_version : int
    weight : str
    missing : str
        The missing-value policy applied.
    ignored_pieces : DataFrame
        Pieces left out because their share was below ``min_share``:
        ``from_code``, ``to_code``, ``share`` (empty by default).
    """

    table: pd.DataFrame
    codes: pd.DataFrame
    missing_pieces: pd.DataFrame
    from_version: int
    to_version: int
    weight: str
    missing: str
    ignored_pieces: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame(columns=["from_code", "to_code", "share"])
    )

    def tidy(self) -> pd.DataFrame:
        """Return a copy of the converted table."""
        return self.table.copy()

    def codes_with_status(self, *status: str) -> list[str]:
        """Input codes whose status is one of ``status`` (see ``codes``)."""
        for s in status:
            check_option("status", s, _STATUS_ORDER)
        return self.codes.loc[self.codes["status"].isin(status), "from_code"].tolist()

    @property
    def not_converted(self) -> list[str]:
        """Input codes that were passed through or dropped instead of converted."""
        return self.codes_with_status(*_STATUS_ORDER[5:])

    def summary(self) -> str:
        """Return a few lines saying what the conversion did."""
        counts = self.codes["status"].value_counts()
        parts = [f"{counts[s]} {s}" for s in _STATUS_ORDER if s in counts.index]
        lines = [
            f"NUTS {self.from_version} -> {self.to_version}, weight={self.weight!r}, "
            f"missing={self.missing!r}",
            f"input codes: {', '.join(parts)}",
            f"output rows: {len(self.table)}; rows with missing or absent pieces: "
            f"{len(self.missing_pieces)}",
        ]
        if len(self.ignored_pieces):
            lines.append(
                f"pieces below min_share ignored: {len(self.ignored_pieces)} (largest share "
                f"{self.ignored_pieces['share'].max():.2g})"
            )
        if self.not_converted:
            lines.append(f"not converted: {short_list(self.not_converted)}")
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.summary()


def convert_nuts(
    data: pd.DataFrame,
    *,
    region: str,
    value: str,
    from_version: int,
    to_version: int = 2021,
    weight: NutsWeight = "population",
    time: str | None = None,
    missing: MissingConversion = "propagate",
    unknown: UnknownPolicy = "raise",
    other_levels: UnknownPolicy = "raise",
    min_share: float = 0.0,
) -> ConversionResult:
    """Convert NUTS-2 regional counts from one NUTS version to another.

    Each old region's value is shared among the new regions it overlaps in
    proportion to the chosen weight of each piece (JRC NUTS-converter
    matrices); a new region's value is the sum of the pieces it receives.
    Every column other than ``region`` and ``value`` is a key kept as is
    (time, activity, indicator ...): conversion happens within each
    combination of them.

    Parameters
    ----------
    data : DataFrame
        Tidy table, one row per region and combination of the other columns.
    region, value : str
        Columns of NUTS codes and of the (additive) value.
    from_version : int
        NUTS version of the codes in ``data`` (2010, 2013 or 2016).
    to_version : int, default 2021
        Target NUTS version (2013, 2016 or 2021); see ``NUTS_CONVERSION_PAIRS``.
    weight : str, default "population"
        Weight used to share an old region among its pieces; one of
        ``NUTS_CONVERSION_WEIGHTS`` (``"population"`` = 2011 grid population).
    time : str, optional
        Column of periods. It is a key like any other column; naming it
        checks that it exists and sorts the output by it first.
    missing : {"propagate", "drop"}, default "propagate"
        A missing (NaN) old value makes every new region it touches missing
        (``"propagate"``), or is left out of the sums (``"drop"``, as in
        every ris3 function; ``"skip"`` is its old name, deprecated). Either
        way the touched output rows are listed in ``missing_pieces``.
    unknown : {"raise", "keep", "drop"}, default "raise"
        NUTS-2 codes absent from the matrix (e.g. extra-regio ``..ZZ`` codes,
        or codes of another version): raise a ClassificationError naming
        them, pass their rows through unchanged, or leave them out. The
        result's ``codes`` lists them either way.
    other_levels : {"raise", "keep", "drop"}, default "raise"
        Codes that are not NUTS-2 (NUTS-0, 1 or 3: not 4 characters long).
        The matrices cover NUTS-2 only; ``"keep"`` passes such rows through
        unchanged (NUTS-0/1 codes of some countries did change: convert
        NUTS-2 data and aggregate it up with :func:`ris3.data.aggregate`
        instead when that matters).
    min_share : float, default 0
        Ignore pieces whose share of their old region is below this (at most
        0.1), and rescale the other pieces of that region to sum to 1. The
        matrices contain border slivers (e.g. 51 of Picardie's 1.9 million
        inhabitants lie in the piece that goes to FRF2); ``min_share=0.001``
        treats them as noise. Totals are still conserved; the ignored pieces
        are listed in ``ignored_pieces``.

    Returns
    -------
    ConversionResult
        ``.table`` (the converted tidy table), ``.codes`` (what happened to
        every input code), ``.missing_pieces`` and ``.summary()``.

    Raises
    ------
    ConventionError
        Unknown version pair, weight or policy.
    InputError
        Missing columns, non-numeric values, missing region codes, or
        duplicated rows.
    ClassificationError
        Unknown codes or codes of other levels under the ``"raise"``
        policies, or passed-through codes that collide with converted ones.

    Examples
    --------
    Lithuania (LT00) was split into LT01 and LT02 in NUTS 2016:

    >>> import pandas as pd
    >>> df = pd.DataFrame({"geo": ["LT00", "LV00"], "emp": [1000.0, 500.0]})
    >>> res = convert_nuts(df, region="geo", value="emp", from_version=2013)
    >>> res.table.round(1)
        geo    emp
    0  LT01  266.7
    1  LT02  733.3
    2  LV00  500.0
    >>> res.codes[["from_code", "status", "to_codes"]]
      from_code     status   to_codes
    0      LT00      split  LT01 LT02
    1      LV00  unchanged       LV00
    """
    from ris3.tidy import _as_frame

    a, b = _check_pair(from_version, to_version)
    check_option("weight", weight, tuple(NUTS_CONVERSION_WEIGHTS))
    if isinstance(missing, str) and missing == "skip":
        warn_renamed_option("convert_nuts", "missing", "skip", "drop")
        missing = "drop"
    check_option("missing", missing, ("propagate", "drop"))
    check_option("unknown", unknown, ("raise", "keep", "drop"))
    check_option("other_levels", other_levels, ("raise", "keep", "drop"))
    check_number("min_share", min_share, low=0, high=0.1)
    df = _as_frame(data, "data")
    for role, col in (("region", region), ("value", value), ("time", time)):
        if col is None:
            continue
        if col not in df.columns:
            raise InputError(
                f"data has no column {col!r} (given as {role}=); available columns: "
                f"{short_list(map(str, df.columns), 20)}"
            )
    if region == value:
        raise InputError(f"region= and value= must name different columns; got {region!r}")
    if len(df) == 0:
        raise InputError("data is empty: it has no rows")
    from ris3.tidy import check_periods, check_sums, numeric_values, warn_negative

    vals = numeric_values(df, value)
    if time is not None:
        check_periods(df, time)
    check_sums(df, value, vals, None if time is None else df[time].to_numpy())
    warn_negative(df, value, vals, "they are split by the weights as they are")
    keys = [c for c in df.columns if c not in (region, value)]
    if time is not None:
        keys = [time] + [c for c in keys if c != time]
    codes_raw = df[region]
    if codes_raw.isna().any():
        i = int(np.flatnonzero(codes_raw.isna().to_numpy())[0])
        raise InputError(
            f"column {region!r} has {int(codes_raw.isna().sum())} missing "
            f"region code(s), e.g. row {i}"
        )
    codes = codes_raw.astype(str)
    dup = df.duplicated(subset=[region, *keys], keep=False).to_numpy()
    if dup.any():
        ex = df.loc[dup, [region, *keys]].drop_duplicates().head(3).to_dict("records")
        raise InputError(
            f"data has {int(dup.sum())} rows with duplicated keys {[region, *keys]}, e.g. "
            f"{ex}; each region must appear once per combination of the other columns"
        )

    pieces = nuts_concordance(a, b, weight=weight)
    small = ((pieces["share"] > 0) & (pieces["share"] < min_share)).to_numpy()
    ignored = pieces.loc[small, ["from_code", "to_code", "share"]].reset_index(drop=True)
    if small.any():
        share = np.where(small, 0.0, pieces["share"].to_numpy())
        total = pd.Series(share).groupby(pieces["from_code"].to_numpy()).transform("sum")
        pieces = pieces.assign(share=share / total.to_numpy())
    status_of = _code_status(pieces)
    is_level2 = (codes.str.len() == 4).to_numpy()
    known = codes.isin(status_of.index).to_numpy()
    unknown_mask = is_level2 & ~known
    other_mask = ~is_level2

    if unknown_mask.any() and unknown == "raise":
        bad = sorted(set(codes[unknown_mask]))
        newer = [c for c in bad if c in set(pieces["to_code"])]
        hint = ""
        if newer:
            hint = f" ({short_list(newer, 5)} are NUTS-{b} codes: is from_version={a} right?)"
        extra = [c for c in bad if c.endswith("ZZ")]
        if extra:
            hint += (
                f" ({short_list(extra, 5)} are extra-regio codes, which have no territory "
                "and are not in the matrices)"
            )
        raise ClassificationError(
            f"{len(bad)} NUTS-2 code(s) in column {region!r} are not in the JRC NUTS "
            f"{a}->{b} matrix: {short_list(bad)}{hint}; choose unknown='keep' to pass "
            "them through unchanged or unknown='drop' to leave them out (the result "
            "lists them either way)"
        )
    if other_mask.any() and other_levels == "raise":
        bad = sorted(set(codes[other_mask]))
        raise ClassificationError(
            f"the JRC matrices convert NUTS-2 codes (4 characters) only; column "
            f"{region!r} has {len(bad)} code(s) of other NUTS levels: {short_list(bad)}. "
            "Convert NUTS-2 data and aggregate it up with ris3.data.aggregate, or choose "
            "other_levels='keep' (pass through unchanged) or other_levels='drop'"
        )

    # convert: one row per (input row, positive piece). The pieces are linked to
    # row positions, so no internal column name can collide with the caller's.
    pos = pieces[pieces["share"] > 0]
    values = vals[known]
    link = pd.DataFrame({"code": codes[known].to_numpy(), "row": np.arange(int(known.sum()))})
    link = link.merge(
        pd.DataFrame(
            {"code": pos["from_code"].to_numpy(), "to": pos["to_code"].to_numpy(),
             "share": pos["share"].to_numpy()}
        ),
        on="code",
        how="inner",
        sort=False,
    )  # fmt: skip
    rows = link["row"].to_numpy()
    v = values[rows]
    key_rows = df.loc[known, keys].reset_index(drop=True).iloc[rows].reset_index(drop=True)
    by = [key_rows[k] for k in keys] + [pd.Series(link["to"].to_numpy())]
    stats = pd.DataFrame(
        {"piece": v * link["share"].to_numpy(), "one": 1, "nan": np.isnan(v).astype(np.int64)}
    )
    grouped = stats.groupby(by, dropna=False, sort=True, observed=True).sum()  # NaN skipped
    level_values = [grouped.index.get_level_values(i) for i in range(len(keys) + 1)]
    n_pieces = grouped["one"].to_numpy()
    n_missing = grouped["nan"].to_numpy()
    if missing == "propagate":
        blank = n_missing > 0
    else:
        blank = n_missing == n_pieces
    converted = pd.DataFrame({region: np.asarray(level_values[-1], dtype=object)})
    for k, lvl in zip(keys, level_values[:-1]):
        converted[k] = lvl.to_numpy()
    converted[value] = np.where(blank, np.nan, grouped["piece"].to_numpy(dtype=np.float64))
    # pieces a new region should receive (one per old region feeding it) but
    # whose old region has no row for this key combination
    n_expected = pos.groupby("to_code")["from_code"].size()
    n_absent = converted[region].map(n_expected).to_numpy(dtype=np.int64) - n_pieces
    touched = (n_missing > 0) | (n_absent > 0)
    missing_pieces = converted.loc[touched, [*keys, region]].reset_index(drop=True)
    missing_pieces["n_pieces"] = n_pieces[touched]
    missing_pieces["n_missing_pieces"] = n_missing[touched]
    missing_pieces["n_absent_pieces"] = n_absent[touched]

    passed = np.zeros(len(df), dtype=bool)
    if unknown == "keep":
        passed |= unknown_mask
    if other_levels == "keep":
        passed |= other_mask
    frames = [converted[[c for c in df.columns]]]
    if passed.any():
        kept = df.loc[passed, list(df.columns)]
        clash = set(kept[region].astype(str)) & set(converted[region])
        if clash:
            raise ClassificationError(
                f"code(s) passed through unchanged collide with converted NUTS-{b} codes: "
                f"{short_list(sorted(clash))}; drop them (unknown='drop') or fix the codes"
            )
        frames.append(kept)
    table = pd.concat(frames, ignore_index=True)
    order = [*keys, region] if time is not None else [region, *keys]
    table = table.sort_values(order, kind="stable", ignore_index=True)

    # report, one row per distinct input code
    n_rows = codes.value_counts().sort_index()
    report = pd.DataFrame({"from_code": n_rows.index.astype(str), "n_rows": n_rows.to_numpy()})
    st = status_of.reindex(report["from_code"])
    status = st["status"].to_numpy(dtype=object)
    to_codes = st["to_codes"].fillna("").to_numpy(dtype=object)
    is2 = report["from_code"].str.len().to_numpy() == 4
    unk = is2 & pd.isna(st["status"]).to_numpy()
    status[unk] = "unknown_kept" if unknown == "keep" else "unknown_dropped"
    status[~is2] = "other_level_kept" if other_levels == "keep" else "other_level_dropped"
    keep_codes = (unk & (unknown == "keep")) | (~is2 & (other_levels == "keep"))
    to_codes[keep_codes] = report["from_code"].to_numpy()[keep_codes]
    report.insert(1, "status", status.astype(str))
    report.insert(2, "to_codes", to_codes.astype(str))
    return ConversionResult(
        table=table,
        codes=report,
        missing_pieces=missing_pieces,
        from_version=a,
        to_version=b,
        weight=weight,
        missing=missing,
        ignored_pieces=ignored,
    )
