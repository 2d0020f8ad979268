"""Readers of published files: values and flags against the raw lines, quality reports, errors."""

from __future__ import annotations

import gzip
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import ris3
from ris3.data import (
    QualityReport,
    ReadResult,
    nuts_levels,
    read_bres,
    read_cbp,
    read_checked,
    read_eurostat_tsv,
)
from ris3.errors import DataFileError, InputError, Ris3Error

SBS_R = "eu_sbs_r_nuts06_r2/sbs_r_nuts06_r2.tsv.gz"
SBS_NA = "eu_sbs_r_nuts06_r2/sbs_na_sca_r2.tsv.gz"
LFS = "eu_lfst_r_lfe2en2_2017/lfst_r_lfe2en2.tsv.gz"
CBP = "us_cbp2019_cbsa_naics/cbp2019_cbsa_naics_emp.csv.gz"
BRES = "uk_bres2015_region_sic4/Bres_2015_Region_and_Country.csv"


def raw_cell(path: Path, key: str, year: int) -> str:
    """The text of one cell, found with plain string handling (independent of the reader)."""
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        header = fh.readline().rstrip("\n").split("\t")
        years = [h.strip() for h in header[1:]]
        for line in fh:
            if line.startswith(key + "\t"):
                return line.rstrip("\n").split("\t")[1 + years.index(str(year))]
    raise KeyError(key)


def cell(df: pd.DataFrame, **keys: object) -> pd.Series:
    mask = np.ones(len(df), dtype=bool)
    for k, v in keys.items():
        mask &= (df[k] == v).to_numpy()
    assert mask.sum() == 1, keys
    return df[mask].iloc[0]


@pytest.fixture(scope="module")
def sbs_all(shared_data: Path) -> ReadResult:
    """The whole regional SBS file, read once for the module, with the totals check."""
    return read_eurostat_tsv(shared_data / SBS_R)


@pytest.fixture(scope="module")
def sbs_emp(sbs_all: ReadResult) -> pd.DataFrame:
    """Persons employed (V16110) rows of the regional SBS file."""
    return sbs_all.data[sbs_all.data["indic_sb"] == "V16110"]


# ------------------------------------------------------------------ Eurostat TSV


def test_eurostat_layout_and_types(sbs_all: ReadResult, sbs_emp: pd.DataFrame) -> None:
    df = sbs_emp
    assert list(df.columns) == ["nace_r2", "indic_sb", "geo", "time", "value", "flag"]
    assert df["time"].dtype == np.int64
    assert df["value"].dtype == np.float64
    # 46,429 V16110 lines (the file's line count per indicator) x 8 years
    assert len(df) == 46430 * 8
    assert set(df["indic_sb"]) == {"V16110"}
    assert sbs_all.columns == {
        "region": "geo",
        "activity": "nace_r2",
        "value": "value",
        "time": "time",
    }


def test_eurostat_values_and_flags_on_known_cells(shared_data: Path, sbs_emp: pd.DataFrame) -> None:
    df = sbs_emp
    # line 11595: C,V16110,DE  6992286 6938460 ... 5657989 d  5925949 d
    de14 = cell(df, nace_r2="C", geo="DE", time=2014)
    assert de14["value"] == 6938460 and de14["flag"] == ""
    de09 = cell(df, nace_r2="C", geo="DE", time=2009)
    assert de09["value"] == 5657989 and de09["flag"] == "d"
    # line 36808: C20,V16110,BE21 ... 2010 ': c' (confidential) -> NaN, never 0
    be = cell(df, nace_r2="C20", geo="BE21", time=2010)
    assert np.isnan(be["value"]) and be["flag"] == "c"
    assert raw_cell(shared_data / SBS_R, "C20,V16110,BE21", 2010) == ": c"
    # line 36804: C20,V16110,BE  2015 ':' with no flag
    be15 = cell(df, nace_r2="C20", geo="BE", time=2015)
    assert np.isnan(be15["value"]) and be15["flag"] == ""


def test_eurostat_combined_and_decimal_flags(shared_data: Path, sbs_all: ReadResult) -> None:
    # line 530: B,V13320,DE25  ... 15.3 d (2009)  : cd (2008)
    d = sbs_all.data
    df = d[(d["indic_sb"] == "V13320") & (d["geo"] == "DE25") & (d["nace_r2"] == "B")]
    assert cell(df, time=2009)["value"] == pytest.approx(15.3)
    assert cell(df, time=2009)["flag"] == "d"
    assert np.isnan(cell(df, time=2008)["value"]) and cell(df, time=2008)["flag"] == "cd"
    assert cell(df, time=2015)["value"] == pytest.approx(23.5)
    # national file, line 2: B,V11110,BA  :  188 e  191 p ...
    na = read_eurostat_tsv(shared_data / SBS_NA, indic_sb="V11110", geo="BA", nace_r2="B")
    assert cell(na.data, time=2014)["value"] == 188 and cell(na.data, time=2014)["flag"] == "e"
    assert cell(na.data, time=2013)["flag"] == "p"
    # LFS line 3: THS,A,Y15-24,AT1 ... 4.0 bu (2008): two flags on one value
    lfs = read_eurostat_tsv(shared_data / LFS, unit="THS", nace_r2="A", age="Y15-24", geo="AT1")
    assert list(lfs.data.columns[:4]) == ["unit", "nace_r2", "age", "geo"]
    c08 = cell(lfs.data, time=2008)
    assert c08["value"] == pytest.approx(4.0) and c08["flag"] == "bu"
    assert cell(lfs.data, time=2015)["flag"] == "u"


def test_de_manufacturing_regional_vs_national_sbs(
    shared_data: Path, sbs_emp: pd.DataFrame
) -> None:
    """DE, NACE C, persons employed 2014: the NUTS-0 row of the regional file and the
    national SBS file, both read here and both checked against the raw lines.

    They are *not* equal for Germany: the regional statistics (based on local
    units) give 6,938,460 and the national enterprise statistics 7,269,135, a
    gap of 4.5 % that is stable over 2010-2015. For other countries the two
    agree exactly (Cyprus shown here) or within 1 %.
    """
    regional = sbs_emp[(sbs_emp["nace_r2"] == "C") & (sbs_emp["time"] == 2014)]
    national = read_eurostat_tsv(
        shared_data / SBS_NA, indic_sb="V16110", nace_r2="C", years=[2014]
    ).data
    de_r = cell(regional, geo="DE")["value"]
    de_n = cell(national, geo="DE")["value"]
    assert de_r == float(raw_cell(shared_data / SBS_R, "C,V16110,DE", 2014)) == 6938460
    assert de_n == float(raw_cell(shared_data / SBS_NA, "C,V16110,DE", 2014)) == 7269135
    assert de_r / de_n == pytest.approx(0.95451, abs=1e-5)
    assert cell(regional, geo="CY")["value"] == cell(national, geo="CY")["value"] == 27680


def test_confidential_cells_make_nuts2_sums_fall_short(sbs_all: ReadResult) -> None:
    """BE, NACE C20, 2010: BE21, BE22 and BE24 are confidential (': c').

    The eight other NUTS-2 cells sum to 2783 + 5722 + 2684 + 910 + 4280 + 2073
    + 659 + 275 = 19,386 against the national 43,856 (lines 36804-36818).
    """
    cov = sbs_all.quality.coverage
    row = cell(cov, nace_r2="C20", indic_sb="V16110", geo="BE", time=2010)
    assert row["total"] == 43856
    assert row["sum_of_parts"] == 19386
    assert row["parts"] == 11 and row["parts_missing"] == 3
    assert row["coverage"] == pytest.approx(19386 / 43856)
    text = sbs_all.quality.summary()
    assert re.search(r"parts cover less than the total in [\d,]+", text)


def test_parts_exceeding_total_are_anomalies(tmp_path: Path) -> None:
    p = tmp_path / "x.tsv"
    p.write_text(
        "nace_r2,indic_sb,geo\\time\t2014 \n"
        "C,V16110,AT\t10 \n"
        "C,V16110,AT11\t9 \n"
        "C,V16110,AT12\t5 \n"
        "C,V16110,AT13\t-1 \n"
        "C,V91290,AT13\t-3.5 \n"  # a growth rate may be negative: not an anomaly
    )
    res = read_eurostat_tsv(p)
    an = res.quality.anomalies
    assert sorted(an["kind"]) == ["negative", "parts_exceed_total"]
    over = an[an["kind"] == "parts_exceed_total"].iloc[0]
    # 9 + 5 - 1 = 13 > 10 + rounding tolerance 0.5 * 1 * (3 parts + 1) = 12
    assert (over["region"], over["value"], over["reference"]) == ("AT", 13.0, 10.0)
    neg = an[an["kind"] == "negative"].iloc[0]
    assert (neg["region"], neg["value"]) == ("AT13", -1.0)
    assert "parts_exceed_total 1" in str(res)


def test_rounding_tolerance_of_totals(tmp_path: Path) -> None:
    # three parts published to 0.1 may exceed the rounded total by up to 0.05 * 4
    p = tmp_path / "x.tsv"
    p.write_text(
        "nace_r2,indic_sb,geo\\time\t2014 \n"
        "C,V13320,AT\t1.0 \nC,V13320,AT11\t0.4 \nC,V13320,AT12\t0.4 \nC,V13320,AT13\t0.4 \n"
    )
    assert read_eurostat_tsv(p).quality.anomalies.empty


def test_file_without_activity_and_ratio_units(shared_data: Path) -> None:
    """Regional GDP: keys unit, geo (no activity). Per-inhabitant units are ratios and
    stay out of the totals check; million-euro figures are checked."""
    res = read_eurostat_tsv(
        shared_data / "eu_lfst_r_lfe2en2_2017/nama_10r_2gdp.tsv.gz", activity=None
    )
    assert res.columns["activity"] is None
    assert res.quality.activities == 0 and res.quality.by_activity.empty
    # line 2: EUR_HAB,AT  38500 (2014) ...
    assert cell(res.data, unit="EUR_HAB", geo="AT", time=2014)["value"] == 38500
    assert set(res.quality.coverage["unit"]) == {"MIO_EUR", "MIO_PPS"}
    assert res.quality.anomalies.empty


def test_filters_years_and_levels(shared_data: Path) -> None:
    res = read_eurostat_tsv(
        shared_data / SBS_R,
        filters={"nace_r2": ["C10", "C11"]},
        indic_sb="V11210",
        years=[2013, 2014],
        nuts_level=2,
    )
    df = res.data
    assert set(df["nace_r2"]) == {"C10", "C11"}
    assert set(df["time"]) == {2013, 2014}
    assert (nuts_levels(df["geo"]) == 2).all()
    # line 12933: C10,V11210,AT33  555 534 508 ... -> 2014 = 534
    assert cell(df, nace_r2="C10", geo="AT33", time=2014)["value"] == 534
    assert any("filters" in n for n in res.quality.notes)


def test_quality_report_per_region_and_activity(tmp_path: Path) -> None:
    p = tmp_path / "x.tsv"
    p.write_text(
        "nace_r2,indic_sb,geo\\time\t2014 \t2013 \n"
        "C,V16110,AT11\t: c\t4 \n"
        "C,V16110,AT12\t: \t5 p\n"
        "F,V16110,AT11\t1 \t2 \n"
    )
    res = read_eurostat_tsv(p, known_regions={"AT11"}, known_activities=["C"])
    q = res.quality
    assert isinstance(q, QualityReport)
    assert (q.rows, q.regions, q.activities, q.years) == (6, 2, 2, [2013, 2014])
    assert (q.missing_cells, q.confidential_cells) == (2, 1)
    frame = q.tidy().set_index(["dimension", "code"])
    assert frame.loc[("region", "AT11"), "missing_share"] == 0.25
    assert frame.loc[("region", "AT11"), "confidential_share"] == 0.25
    assert frame.loc[("region", "AT12"), "missing_share"] == 0.5
    assert frame.loc[("activity", "C"), "n_missing"] == 2
    assert q.unknown_regions == ["AT12"] and q.unknown_activities == ["F"]
    assert not frame.loc[("region", "AT12"), "known"]
    text = str(res)
    assert "region codes not in the classification: 1 ('AT12')" in text
    assert "confidential: 1" in text
    assert res.tidy() is res.data
    with pytest.warns(FutureWarning, match=r"renamed ReadResult.tidy\(\)"):
        assert res.to_frame() is res.data


def test_codes_unknown_to_nuts_2013_and_nace(sbs_all: ReadResult) -> None:
    """Against the NUTS 2013 hierarchy, the SBS file's unknown region codes are exactly
    the NUTS 2006 and 2010 codes it still uses for early years; every NACE code is known."""
    from ris3.data.classifications import hierarchy
    from ris3.data.quality import assess

    d = sbs_all.data
    q = assess(
        d,
        region="geo",
        activity="nace_r2",
        value="value",
        known_regions=hierarchy("nuts", "2013"),
        known_activities=hierarchy("nace_eurostat"),
    )
    assert q.unknown_activities == []
    assert q.unknown_regions == [
        "DE41", "DE42", "DED1", "DED3", "EL1", "EL11", "EL12", "EL13", "EL14", "EL2", "EL21",
        "EL22", "EL23", "EL24", "EL25", "FI13", "FI18", "FI1A", "FR9", "FR91", "FR92", "FR93",
        "FR94", "ITD", "ITD1", "ITD2", "ITD3", "ITD4", "ITD5", "ITE", "ITE1", "ITE2", "ITE3",
        "ITE4", "SI01", "SI02", "UKD2", "UKD5", "UKI1", "UKI2",
    ]  # fmt: skip


def test_quality_known_codes_type_error(tmp_path: Path) -> None:
    p = tmp_path / "x.tsv"
    p.write_text("nace_r2,indic_sb,geo\\time\t2014 \nC,V16110,AT11\t1 \n")
    with pytest.raises(InputError, match="known_regions must be a set, list, Series or Index"):
        read_eurostat_tsv(p, known_regions="AT11")
    with pytest.raises(
        InputError, match="known_activities as a DataFrame needs 'child' and 'parent' columns"
    ):
        read_eurostat_tsv(p, known_activities=pd.DataFrame({"x": ["C"]}))
    res = read_eurostat_tsv(p, known_activities=pd.DataFrame({"code": ["C"]}))
    assert res.quality.unknown_activities == [] and res.quality.checked_activities


def test_flag_only_cells(tmp_path: Path) -> None:
    # some files mark a confidential cell with the flag alone, without ':'
    p = tmp_path / "x.tsv"
    p.write_text("nace_r2,indic_sb,geo\\time\t2014 \t2013 \nC,V16110,AT11\tc\t3 e\n")
    df = read_eurostat_tsv(p, years=[2014, 2013]).data
    assert np.isnan(df["value"].iloc[0]) and df["flag"].tolist() == ["c", "e"]


def test_nuts_levels() -> None:
    assert nuts_levels(
        ["AT", "AT3", "AT33", "AT332", "ATZZZ", "EU28", "EA19", "at33", "1"]
    ).tolist() == [
        0,
        1,
        2,
        3,
        3,
        -1,
        -1,
        -1,
        -1,
    ]


# ---------------------------------------------------------------- Eurostat errors

HEADER = "nace_r2,indic_sb,geo\\time\t2014 \t2013 \n"


def write(tmp_path: Path, text: str, name: str = "x.tsv") -> Path:
    p = tmp_path / name
    p.write_text(text)
    return p


def test_eurostat_missing_file(tmp_path: Path) -> None:
    with pytest.raises(DataFileError, match=r"input file '.*nope\.tsv\.gz' does not exist"):
        read_eurostat_tsv(tmp_path / "nope.tsv.gz")
    with pytest.raises(DataFileError, match="is not a file"):
        read_eurostat_tsv(tmp_path)
    with pytest.raises(InputError, match="path must be a str or pathlib.Path; got int"):
        read_eurostat_tsv(3)  # type: ignore[arg-type]


def test_eurostat_corrupt_and_truncated_gzip(tmp_path: Path, shared_data: Path) -> None:
    full = (shared_data / SBS_R).read_bytes()
    cut = tmp_path / "cut.tsv.gz"
    cut.write_bytes(full[: len(full) // 3])
    with pytest.raises(DataFileError, match=r"cut\.tsv\.gz' is a truncated gzip file"):
        read_eurostat_tsv(cut)
    bad = tmp_path / "bad.tsv.gz"
    bad.write_bytes(b"\x1f\x8b\x08\x00" + b"garbage" * 20)
    with pytest.raises(DataFileError, match=r"bad\.tsv\.gz' is not a valid gzip file"):
        read_eurostat_tsv(bad)


def test_eurostat_malformed_key_names_line(tmp_path: Path) -> None:
    p = write(tmp_path, HEADER + "C,V16110,AT\t1 \t2 \nC,AT11\t1 \t2 \nC,V16110,AT12\t1 \t2 \n")
    with pytest.raises(
        DataFileError, match=r"line 3: key 'C,AT11' has 2 part\(s\) but the header names 3"
    ):
        read_eurostat_tsv(p)


def test_eurostat_wrong_field_counts(tmp_path: Path) -> None:
    p = write(tmp_path, HEADER + "C,V16110,AT\t1 \t2 \nC,V16110,AT11\t1 \n")
    with pytest.raises(
        DataFileError, match=r"line 3 has 2 tab-separated field\(s\); the header has 3"
    ):
        read_eurostat_tsv(p)
    p = write(tmp_path, HEADER + "C,V16110,AT\t1 \t2 \t3 \n")
    with pytest.raises(DataFileError, match=r"line 2 has 4 tab-separated field\(s\)"):
        read_eurostat_tsv(p)


def test_eurostat_bad_cells(tmp_path: Path) -> None:
    p = write(tmp_path, HEADER + "C,V16110,AT\t1 \t2 \nC,V16110,AT11\tabc \t2 \n")
    with pytest.raises(
        DataFileError, match=r"line 3, period 2014: cell 'abc ' is neither a number nor ':'"
    ):
        read_eurostat_tsv(p)
    p = write(tmp_path, HEADER + "C,V16110,AT\t1 q\t2 \n")
    with pytest.raises(DataFileError, match=r"line 2, period 2014: cell '1 q' has unknown flag"):
        read_eurostat_tsv(p)


def test_eurostat_header_and_filter_errors(tmp_path: Path) -> None:
    p = write(tmp_path, "a,b,c\n1,2,3\n")
    with pytest.raises(DataFileError, match="is not a Eurostat bulk TSV: line 1 must start"):
        read_eurostat_tsv(p)
    p = write(tmp_path, HEADER)
    with pytest.raises(DataFileError, match="has a header but no data lines"):
        read_eurostat_tsv(p)
    p = write(tmp_path, "")
    with pytest.raises(DataFileError, match="is empty"):
        read_eurostat_tsv(p)
    p = write(tmp_path, HEADER + "C,V16110,AT\t1 \t2 \n")
    with pytest.raises(
        InputError, match=r"filter nace= names no key column of 'x.tsv'; key columns: 'nace_r2'"
    ):
        read_eurostat_tsv(p, nace="C")
    with pytest.raises(InputError, match=r"filter\(s\) 'geo' given twice"):
        read_eurostat_tsv(p, filters={"geo": "AT"}, geo="AT")
    with pytest.raises(InputError, match="nuts_level must be an integer >= 0 and <= 3; got 5"):
        read_eurostat_tsv(p, nuts_level=5)
    p = write(tmp_path, "x\\time\t2014 \nAT\t1 \n")
    with pytest.raises(InputError, match="nuts_level= needs a 'geo' key column"):
        read_eurostat_tsv(p, nuts_level=0)
    p = write(tmp_path, "nace_r2,nace_r2,geo\\time\t2014 \nC,C,AT\t1 \n")
    with pytest.raises(DataFileError, match="line 1 has empty or repeated key names"):
        read_eurostat_tsv(p)


def test_eurostat_non_utf8_and_binary(tmp_path: Path) -> None:
    p = tmp_path / "x.tsv"
    p.write_bytes(HEADER.encode() + b"C,V16110,AT\t1 \xff\t2 \n")
    with pytest.raises(DataFileError, match="is not UTF-8 text: undecodable byte at line 2"):
        read_eurostat_tsv(p)
    p.write_bytes(HEADER.encode() + b"C,V16110,AT\t1 \x00\t2 \n")
    with pytest.raises(DataFileError, match="NUL byte at line 2"):
        read_eurostat_tsv(p)


def test_full_sbs_file_summary(sbs_all: ReadResult) -> None:
    q = sbs_all.quality
    # 195,227 data lines x 8 periods
    assert q.rows == 195227 * 8
    # the file's cell texts, counted with zcat | cut | sort | uniq: 93,421 ': c', 3,883 ': cd',
    # 2,773 ': bc', 1,644 ': cu', 575 ': cp', 247 ': ci'
    assert q.confidential_cells == 93421 + 3883 + 2773 + 1644 + 575 + 247
    assert q.activities == 101 and q.years == list(range(2008, 2016))
    # known anomalies of this file: one negative wage bill (NO06, B06, 2014: -8.3) and
    # NUTS-2 sums above the country row beyond rounding (e.g. Finland, where 2010 is
    # published under both NUTS 2006 and NUTS 2010 codes)
    neg = q.anomalies[q.anomalies["kind"] == "negative"]
    assert neg[["region", "activity", "time", "value"]].values.tolist() == [
        ["NO06", "B06", 2014, -8.3]
    ]
    over = q.anomalies[q.anomalies["kind"] == "parts_exceed_total"]
    assert over["region"].value_counts().index[0] == "FI"


# ------------------------------------------------------------------ CBP


def test_cbp_values_against_raw_csv(shared_data: Path) -> None:
    res = read_cbp(shared_data / CBP)
    raw = pd.read_csv(shared_data / CBP, dtype={"cbsa_code": str, "naics_code": str})
    six = raw[raw["naics_level"] == 6]
    assert len(res.data) == len(six) == 200009
    assert list(res.data.columns) == [
        "cbsa_code",
        "naics_code",
        "employment",
        "establishments",
        "emp_possibly_suppressed",
    ]
    sample = six.sample(50, random_state=1)
    got = res.data.set_index(["cbsa_code", "naics_code"]).loc[
        list(zip(sample["cbsa_code"], sample["naics_code"]))
    ]
    np.testing.assert_array_equal(got["employment"].to_numpy(), sample["EMP"].to_numpy())
    np.testing.assert_array_equal(got["establishments"].to_numpy(), sample["ESTAB"].to_numpy())
    zero = int(((six["EMP"] == 0) & (six["ESTAB"] > 0)).sum())
    assert res.quality.suspect_cells == zero == 110
    assert (res.quality.anomalies["kind"] == "possibly_suppressed").sum() == zero
    # coverage: 6-digit employment of each CBSA against its all-sector row
    tot = raw[raw["naics_code"] == "00"].set_index("cbsa_code")["EMP"]
    sums = six.groupby("cbsa_code")["EMP"].sum()
    cov = res.quality.coverage.set_index("cbsa_code")
    np.testing.assert_allclose(cov["coverage"], (sums / tot).loc[cov.index])
    assert len(res.totals) == 933
    assert "possibly_suppressed 110" in str(res)


def test_cbp_levels_and_errors(tmp_path: Path, shared_data: Path) -> None:
    res = read_cbp(shared_data / CBP, level=2)
    assert "00" not in set(res.data["naics_code"])
    assert (res.data["naics_code"].str.len() == 2).all()
    with pytest.raises(InputError, match="level must be an integer >= 2 and <= 6; got 7"):
        read_cbp(shared_data / CBP, level=7)
    p = write(tmp_path, "cbsa_code,naics,EMP\n1,2,3\n", "cbp.csv")
    with pytest.raises(
        DataFileError,
        match=r"not a County Business Patterns .* column\(s\) 'naics_code', 'naics_level', 'ESTAB' missing",
    ):
        read_cbp(p)
    p = write(
        tmp_path, "cbsa_code,naics_code,naics_level,EMP,ESTAB\n10180,311111,6,many,2\n", "c.csv"
    )
    with pytest.raises(DataFileError, match=r"line 2, column 'EMP': 'many' is not a number"):
        read_cbp(p)
    p = write(tmp_path, "cbsa_code,naics_code,naics_level,EMP,ESTAB\n10180,31,2,5,2\n", "c.csv")
    with pytest.raises(
        DataFileError, match=r"has no rows with naics_level == 6 \(levels present: 2\)"
    ):
        read_cbp(p)


# ------------------------------------------------------------------ BRES


def test_bres_long_table_and_totals(shared_data: Path) -> None:
    """Each class's Total equals the sum of its 11 regional cells.

    Tolerance 0: ONS rounds every cell before publication and this file's
    Total column is the sum of the rounded regional cells (checked here for
    all 616 classes). A total rounded independently of its parts could differ
    from their sum by up to half a rounding unit per part.
    """
    res = read_bres(shared_data / BRES)
    df = res.data
    assert list(df.columns) == ["region", "sic2007", "employees", "flag"]
    assert df["region"].nunique() == 11 and df["sic2007"].nunique() == 616
    sums = df.groupby("sic2007")["employees"].sum()
    totals = res.totals.set_index("sic2007")["total"]
    np.testing.assert_array_equal(sums.loc[totals.index].to_numpy(), totals.to_numpy())
    cov = res.quality.coverage
    assert (cov["coverage"].dropna() == 1.0).all() and res.quality.anomalies.empty
    # line 2: "0100 : DEFRA/Scottish Executive Agricultural Data,22000,15000,500,3000,..."
    assert cell(df, sic2007="0100", region="London")["employees"] == 500
    assert cell(df, sic2007="0100", region="East")["employees"] == 22000
    assert totals.loc["0100"] == 174500
    # the last line: 9609 Other personal service activities n.e.c., London 14000, total 94000
    assert cell(df, sic2007="9609", region="London")["employees"] == 14000
    assert totals.loc["9609"] == 94000
    assert (
        res.labels.set_index("sic2007").loc["0111", "description"].startswith("Growing of cereals")
    )


def test_bres_unknown_codes_and_errors(tmp_path: Path, shared_data: Path) -> None:
    known = {f"{i:04d}" for i in range(111, 9900)} - {"0100"}
    res = read_bres(shared_data / BRES, known_activities=known)
    assert res.quality.unknown_activities == ["0100", "9900"]
    p = write(tmp_path, "Industry,East,Total\nx,1,1\n", "b.csv")
    with pytest.raises(DataFileError, match=r"not a BRES .* column\(s\) 'SIC2007' missing"):
        read_bres(p)
    p = write(tmp_path, "SIC2007,Total\n0111,1\n", "b.csv")
    with pytest.raises(DataFileError, match="has no region columns"):
        read_bres(p)
    p = write(tmp_path, "SIC2007,East,Total\n0111,1,1\n0111,2,2\n", "b.csv")
    with pytest.raises(DataFileError, match="repeats SIC2007 code"):
        read_bres(p)
    p = write(tmp_path, "SIC2007,East,Total\n0111,lots,1\n", "b.csv")
    with pytest.raises(DataFileError, match=r"line 2, column 'East': 'lots' is not a number"):
        read_bres(p)
    p = write(tmp_path, "SIC2007,East,West,Total\n0111,*,4,4\n", "b.csv")
    res = read_bres(p)
    assert np.isnan(cell(res.data, region="East")["employees"])
    assert cell(res.data, region="East")["flag"] == "c"
    assert res.quality.confidential_cells == 1


# ------------------------------------------------------------------ generic tables


def test_read_table_csv_with_rename_and_level(tmp_path: Path) -> None:
    p = write(tmp_path, "nuts,nace,emp,yr\nAT33,C,10,2014\nAT33,F,,2014\nAT34,C,-5,2014\n", "t.csv")
    res = read_checked(
        p, region="geo", activity="nace", value="emp", time="yr", rename={"nuts": "geo"}
    )
    assert list(res.data.columns) == ["geo", "nace", "emp", "yr"]
    assert res.quality.missing_cells == 1
    assert list(res.quality.anomalies["kind"]) == ["negative"]
    with pytest.raises(
        InputError, match=r"rename names column\(s\) 'geo' that 't.csv' does not have"
    ):
        read_checked(p, region="geo", activity="nace", value="emp", rename={"geo": "x"})
    with pytest.raises(InputError, match=r"has no column 'sector' \(given as activity=\)"):
        read_checked(p, region="nuts", activity="sector", value="emp")
    with pytest.raises(InputError, match="sheet= applies to Excel files only"):
        read_checked(p, region="nuts", activity="nace", value="emp", sheet=0)


def test_read_table_keeps_codes_as_text(tmp_path: Path) -> None:
    p = write(tmp_path, "region,SIC,jobs\nLondon,0111,5\nWales,0112,6\n", "t.csv")
    res = read_checked(p, region="region", activity="sic", value="jobs", rename={"SIC": "sic"})
    assert res.data["sic"].tolist() == ["0111", "0112"]
    x = tmp_path / "t.xlsx"
    pd.DataFrame({"region": ["London"], "sic": ["0111"], "jobs": [5]}).to_excel(x, index=False)
    assert read_checked(x, region="region", activity="sic", value="jobs").data["sic"].tolist() == [
        "0111"
    ]


def test_read_table_mixed_nuts_levels(tmp_path: Path) -> None:
    p = write(tmp_path, "geo,nace,emp\nAT,C,10\nAT33,C,4\nAT332,C,2\nEU28,C,1\n", "t.csv")
    with pytest.raises(
        InputError,
        match=r"column 'geo' of 't.csv' must hold NUTS level 2 codes only \(nuts_level=2\); "
        r"it mixes levels: 1 not NUTS codes, 1 at level 0, 1 at level 3",
    ):
        read_checked(p, region="geo", activity="nace", value="emp", nuts_level=2)


def test_read_table_excel_and_parquet(tmp_path: Path) -> None:
    df = pd.DataFrame({"geo": ["AT33", "AT34"], "nace": ["C", "C"], "emp": [1.5, 2.0]})
    x = tmp_path / "t.xlsx"
    with pd.ExcelWriter(x) as w:
        pd.DataFrame().to_excel(w, sheet_name="empty", index=False)
        df.to_excel(w, sheet_name="data", index=False)
    res = read_checked(x, region="geo", activity="nace", value="emp", sheet="data")
    assert res.data["emp"].tolist() == [1.5, 2.0]
    with pytest.raises(
        DataFileError, match=r"Excel file '.*t\.xlsx' \(sheet 'empty'\) has no data rows"
    ):
        read_checked(x, region="geo", activity="nace", value="emp", sheet="empty")
    with pytest.raises(DataFileError, match=r"has no sheet 'nope'"):
        read_checked(x, region="geo", activity="nace", value="emp", sheet="nope")
    pq = tmp_path / "t.parquet"
    df.to_parquet(pq)
    assert read_checked(pq, region="geo", activity="nace", value="emp").data["emp"].sum() == 3.5
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(DataFileError, match=r"cannot read Excel file '.*bad\.xlsx'"):
        read_checked(bad, region="geo", activity="nace", value="emp")


def test_read_table_duplicates_and_non_numeric(tmp_path: Path) -> None:
    p = write(tmp_path, "geo,nace,emp\nAT33,C,1\nAT33,C,2\n", "t.csv")
    with pytest.raises(InputError, match="rows with duplicated keys"):
        read_checked(p, region="geo", activity="nace", value="emp")
    p = write(tmp_path, "geo,nace,emp\nAT33,C,one\n", "t.csv")
    with pytest.raises(InputError, match="column 'emp' \\(value=\\) must be numeric"):
        read_checked(p, region="geo", activity="nace", value="emp")


def test_public_names() -> None:
    assert ris3.read_eurostat_tsv is read_eurostat_tsv
    assert ris3.read_cbp is read_cbp and ris3.read_bres is read_bres
    assert issubclass(DataFileError, Ris3Error)


def test_remaining_error_messages(tmp_path: Path) -> None:
    p = write(tmp_path, "nace_r2,geo\\time\t2014 \t2014 \nC,AT\t1 \t2 \n")
    with pytest.raises(DataFileError, match="line 1 has empty or repeated period labels"):
        read_eurostat_tsv(p)
    t = write(tmp_path, "geo,nace,emp,f\nAT33,C,1,\n", "t.csv")
    with pytest.raises(InputError, match=r"rename must be a mapping \{old: new\}; got list"):
        read_checked(t, region="geo", activity="nace", value="emp", rename=["geo"])  # type: ignore[arg-type]
    with pytest.raises(InputError, match=r"has no column 'flags' \(given as flag=\)"):
        read_checked(t, region="geo", activity="nace", value="emp", flag="flags")
    cbp_head = "cbsa_code,naics_code,naics_level,EMP,ESTAB\n"
    with pytest.raises(DataFileError, match="has a header but no data lines"):
        read_cbp(write(tmp_path, cbp_head, "c.csv"))
    with pytest.raises(DataFileError, match=r"line 3: column 'naics_code' is empty"):
        read_cbp(write(tmp_path, cbp_head + "10180,00,2,1,1\n10180,,6,1,1\n", "c.csv"))
    with pytest.raises(DataFileError, match=r"is not a valid County Business Patterns CSV"):
        read_cbp(write(tmp_path, cbp_head + '10180,"00,2,1,1\n', "c.csv"))
    with pytest.raises(DataFileError, match="has a header but no data lines"):
        read_bres(write(tmp_path, "SIC2007,East,Total\n", "b.csv"))
    with pytest.raises(DataFileError, match=r"line 3: column 'SIC2007' is empty"):
        read_bres(write(tmp_path, "SIC2007,East,Total\n0111,1,1\n,2,2\n", "b.csv"))


def test_eurostat_crlf_line_endings(tmp_path: Path) -> None:
    text = HEADER + "C,V16110,AT\t1 b\t: c\nC,V16110,AT11\t1 \t2 \n"
    unix = read_eurostat_tsv(write(tmp_path, text, "unix.tsv")).data
    p = tmp_path / "dos.tsv"
    p.write_bytes(text.replace("\n", "\r\n").encode())
    pd.testing.assert_frame_equal(read_eurostat_tsv(p).data, unix)
