"""Bad input never becomes a wrong answer: one table of cases, input class x verb.

Every case runs the real ``ris3`` entry point in process on a small table
with codes that have leading zeros, changes one thing, and checks that the
run exits 2 with one ``ris3: error:`` line naming the option or column, that
no output file or folder appears and that the inputs are left untouched.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from ris3.cli import main

REGIONS = ["AT11", "AT12", "AT13", "AT21"]
CODES = ["011", "012", "021", "11"]  # "011" and "11" are two codes
YEARS = [2010, 2015]


def base_table() -> pd.DataFrame:
    rng = np.random.default_rng(7)
    rows = [
        {"geo": r, "nace": a, "year": y, "emp": float(rng.integers(5, 500))}
        for y in YEARS
        for r in REGIONS
        for a in CODES
    ]
    return pd.DataFrame(rows)


def write_csv(df: pd.DataFrame, path: Path) -> Path:
    df.to_csv(path, index=False)
    return path


@dataclass
class Verb:
    """How to run one verb on good input, and what its value-bearing table is."""

    name: str
    argv: Callable[[dict[str, Path]], list[str]]
    table: str | None = "data"  # key of the file the data classes change
    value: str = "emp"
    keys: tuple[str, ...] = ("geo", "nace")
    time: str | None = None
    numeric_option: tuple[str, str] | None = None  # (option, good value)
    outputs: tuple[str, ...] = ("--out",)
    missing_option: bool = True  # a missing value is an error unless an option says otherwise
    negative: str = "error"  # error | warn (summed or split as given) | ok (e.g. relatedness)
    dup_text: str = "duplicat"
    extra: dict[str, Callable[[dict[str, Path]], None]] = field(default_factory=dict)


def _files(tmp: Path) -> dict[str, Path]:
    """Write every input the verbs need into ``tmp/in``; outputs go to ``tmp/out``."""
    src = tmp / "in"
    src.mkdir()
    (tmp / "out").mkdir()
    data = base_table()
    f = {"data": write_csv(data, src / "data.csv"), "out": tmp / "out"}
    f["data2015"] = write_csv(data[data["year"] == 2015].drop(columns="year"), src / "one.csv")
    f["definition"] = write_csv(
        pd.DataFrame({"activity": CODES, "cluster": ["Food", "Food", "Wood", "Metal"]}),
        src / "def.csv",
    )
    f["hier"] = write_csv(
        pd.DataFrame(
            {"child": CODES, "parent": ["01", "01", "02", "1"], "child_level": 2, "parent_level": 1}
        ),
        src / "hier.csv",
    )
    f["nuts"] = write_csv(data[data["nace"] == "011"].drop(columns="nace"), src / "nuts.csv")
    f["flows"] = write_csv(
        pd.DataFrame(
            {
                "o": ["011", "011", "012", "021", "11", "012"],
                "d": ["012", "021", "011", "11", "011", "11"],
                "n": [5.0, 3.0, 4.0, 2.0, 6.0, 1.0],
            }
        ),
        src / "flows.csv",
    )
    f["spells"] = write_csv(
        pd.DataFrame(
            {
                "w": ["w1", "w1", "w2", "w2"],
                "ind": ["011", "012", "012", "11"],
                "s": [1.0, 5.0, 1.0, 9.0],
                "e": [4.0, 8.0, 3.0, 12.0],
            }
        ),
        src / "spells.csv",
    )
    f["pairs"] = write_csv(
        pd.DataFrame(
            {
                "activity_from": ["011", "011", "012", "021"],
                "activity_to": ["012", "021", "021", "11"],
                "proximity": [0.5, 0.2, 0.4, 0.9],
            }
        ),
        src / "pairs.csv",
    )
    tsv = src / "sbs.tsv"
    tsv.write_text(
        "nace_r2,indic_sb,geo\\time\t2015 \t2014 \n"
        "C10,V16110,AT11\t120 \t110 \n"
        "C10,V16110,AT12\t80 \t: c\n"
        "C11,V16110,AT11\t30 \t25 \n"
    )
    f["tsv"] = tsv
    return f


K = ["--region", "geo", "--activity", "nace", "--value", "emp"]

VERBS: list[Verb] = [
    Verb(
        "specialisation",
        lambda f: [
            "specialisation",
            str(f["data"]),
            *K,
            "--time",
            "year",
            "--out",
            str(f["out"] / "o.csv"),
        ],
        time="year",
        numeric_option=("--threshold", "1"),
    ),
    Verb(
        "diversity",
        lambda f: [
            "diversity",
            str(f["data"]),
            *K,
            "--time",
            "year",
            "--out",
            str(f["out"] / "o.csv"),
        ],
        time="year",
        numeric_option=("--base", "2"),
    ),
    Verb(
        "relatedness",
        lambda f: [
            "relatedness",
            str(f["data"]),
            *K,
            "--time",
            "year",
            "--out",
            str(f["out"] / "p.csv"),
            "--density",
            str(f["out"] / "d.csv"),
        ],
        time="year",
        numeric_option=("--threshold", "1"),
        outputs=("--out", "--density"),
    ),
    Verb(
        "complexity",
        lambda f: [
            "complexity",
            str(f["data"]),
            *K,
            "--time",
            "year",
            "--out",
            str(f["out"] / "o.csv"),
        ],
        time="year",
        numeric_option=("--iterations", "20"),
    ),
    Verb(
        "clusters",
        lambda f: [
            "clusters",
            str(f["data"]),
            "--definition",
            str(f["definition"]),
            "--region",
            "geo",
            "--activity",
            "nace",
            "--value",
            "emp",
            "--time",
            "year",
            "--out",
            str(f["out"] / "c.csv"),
            "--stars",
            str(f["out"] / "s.csv"),
        ],
        time="year",
        outputs=("--out", "--stars"),
    ),
    Verb(
        "shift-share",
        lambda f: [
            "shift-share",
            str(f["data"]),
            *K,
            "--time",
            "year",
            "--out",
            str(f["out"] / "o.csv"),
            "--by-region",
            str(f["out"] / "r.csv"),
        ],
        time="year",
        numeric_option=("--start", "2010"),
        outputs=("--out", "--by-region"),
    ),
    Verb(
        "opportunities",
        lambda f: [
            "opportunities",
            str(f["data"]),
            *K,
            "--time",
            "year",
            "--target",
            "AT11",
            "--out",
            str(f["out"] / "o.csv"),
            "--top",
            str(f["out"] / "t.csv"),
        ],
        time="year",
        numeric_option=("--threshold", "1"),
        outputs=("--out", "--top"),
    ),
    Verb(
        "peers",
        lambda f: [
            "peers",
            str(f["data"]),
            *K,
            "--time",
            "year",
            "--period",
            "2010",  # the changed row 1 is in 2010; peers read only this period
            "--target",
            "AT11",
            "--n",
            "2",
            "--out",
            str(f["out"] / "o.csv"),
        ],
        time="year",
        numeric_option=("--n", "2"),
    ),
    Verb(
        "backtest",
        lambda f: [
            "backtest",
            str(f["data"]),
            *K,
            "--time",
            "year",
            "--start",
            "2010",
            "--end",
            "2015",
            "--missing",
            "raise",
            "--out",
            str(f["out"] / "o.csv"),
            "--by-decile",
            str(f["out"] / "d.csv"),
        ],
        time="year",
        numeric_option=("--threshold", "1"),
        outputs=("--out", "--by-decile"),
    ),
    Verb(
        "stars",
        lambda f: [
            "stars",
            str(f["data"]),
            *K,
            "--definition",
            str(f["definition"]),
            "--time",
            "year",
            "--out",
            str(f["out"] / "o.csv"),
        ],
        time="year",
        numeric_option=("--specialisation-lq", "2"),
    ),
    Verb(
        "portfolio",
        lambda f: [
            "portfolio",
            str(f["data"]),
            *K,
            "--definition",
            str(f["definition"]),
            "--time",
            "year",
            "--start",
            "2010",
            "--end",
            "2015",
            "--out",
            str(f["out"] / "o.csv"),
        ],
        time="year",
        numeric_option=("--start", "2010"),
    ),
    Verb(
        "aggregate",
        lambda f: [
            "aggregate",
            str(f["data"]),
            *K,
            "--time",
            "year",
            "--hierarchy",
            str(f["hier"]),
            "--out",
            str(f["out"] / "o.csv"),
        ],
        time="year",
        negative="warn",
    ),
    Verb(
        "convert-nuts",
        lambda f: [
            "convert-nuts",
            str(f["nuts"]),
            "--region",
            "geo",
            "--value",
            "emp",
            "--time",
            "year",
            "--from-version",
            "2016",
            "--out",
            str(f["out"] / "o.csv"),
            "--report",
            str(f["out"] / "r.csv"),
        ],
        table="nuts",
        keys=("geo",),
        time="year",
        numeric_option=("--min-share", "0"),
        outputs=("--out", "--report"),
        missing_option=False,  # --missing propagate is the default: missing stays missing
        negative="warn",
    ),
    Verb(
        "skill-relatedness",
        lambda f: [
            "skill-relatedness",
            str(f["flows"]),
            "--origin",
            "o",
            "--destination",
            "d",
            "--count",
            "n",
            "--out",
            str(f["out"] / "o.csv"),
        ],
        table="flows",
        value="n",
        keys=("o", "d"),
        dup_text="more than once",
    ),
    Verb(
        "job-flows",
        lambda f: [
            "job-flows",
            str(f["spells"]),
            "--worker",
            "w",
            "--industry",
            "ind",
            "--start",
            "s",
            "--end",
            "e",
            "--max-gap",
            "3",
            "--out",
            str(f["out"] / "o.csv"),
        ],
        table="spells",
        value="s",
        keys=("w", "ind"),
        numeric_option=("--max-gap", "3"),
        dup_text="overlapping spells",
    ),
    Verb(
        "relatedness-network",
        lambda f: [
            "relatedness-network",
            str(f["pairs"]),
            "--nodes-out",
            str(f["out"] / "n.csv"),
            "--edges-out",
            str(f["out"] / "e.csv"),
        ],
        table="pairs",
        value="proximity",
        keys=("activity_from", "activity_to"),
        numeric_option=("--seed", "0"),
        outputs=("--nodes-out", "--edges-out"),
        negative="ok",
        dup_text="same (activity_from, activity_to) pair",
    ),
    Verb(
        "read",
        lambda f: [
            "read",
            str(f["tsv"]),
            "--format",
            "eurostat",
            "--out",
            str(f["out"] / "o.csv"),
            "--quality",
            str(f["out"] / "q.csv"),
        ],
        table=None,
        numeric_option=("--nuts-level", "2"),
        outputs=("--out", "--quality"),
    ),
    Verb(
        "hierarchy",
        lambda f: ["hierarchy", "wipo", "--out", str(f["out"] / "h.csv")],
        table=None,
    ),
    Verb(
        "datasets",
        lambda f: [
            "datasets",
            "uk-labour-flows",
            "--table",
            "flows",
            "--out",
            str(f["out"] / "d.csv"),
        ],
        table=None,
    ),
    Verb(
        "profile",
        lambda f: [
            "profile",
            "AT11",
            "--data",
            str(f["data"]),
            "--region",
            "geo",
            "--activity",
            "nace",
            "--value",
            "emp",
            "--time",
            "year",
            "--format",
            "html",
            "--peers",
            "2",
            "--out",
            str(f["out"] / "AT11"),
        ],
        time="year",
        numeric_option=("--peers", "2"),
        missing_option=False,  # the profile reports missing and confidential cells
    ),
]


def _set(df: pd.DataFrame, col: str, i: int, value: object) -> pd.DataFrame:
    df = df.astype({col: object})
    df.loc[i, col] = value
    return df


# input class -> (change to the value-bearing table, text the message must contain)
DATA_CLASSES: dict[str, tuple[Callable[[pd.DataFrame, Verb], pd.DataFrame], str]] = {
    "flag_in_value": (lambda d, v: _set(d, v.value, 1, "c"), "{value}"),
    "missing_value": (lambda d, v: _set(d, v.value, 1, ""), "{value}"),
    "negative_value": (lambda d, v: _set(d, v.value, 1, -5.0), "{value}"),
    "infinite_value": (lambda d, v: _set(d, v.value, 1, "inf"), "{value}"),
    "bool_value": (
        lambda d, v: d.assign(**{v.value: [i % 2 == 0 for i in range(len(d))]}),
        "{value}",
    ),
    "overflowing_sum": (
        lambda d, v: _set(_set(_set(d, v.value, 0, 1e308), v.value, 1, 1e308), v.value, 2, 1e308),
        "{value}",
    ),
    "duplicated_key": (lambda d, v: pd.concat([d, d.iloc[[0]]], ignore_index=True), "duplicat"),
    "missing_key": (lambda d, v: _set(d, v.keys[0], 1, ""), "{key}"),
    "time_typo": (lambda d, v: _set(d, v.time or "", 1, "2015a"), "{time}"),
}

# input class -> (how to change argv given the files, text the message must contain)
ARG_CLASSES: dict[
    str, tuple[Callable[[list[str], dict[str, Path], Verb], list[str] | None], str]
] = {}


def _replace_out(argv: list[str], option: str, new: str) -> list[str]:
    i = argv.index(option)
    return argv[: i + 1] + [new] + argv[i + 2 :]


def _first_input(argv: list[str]) -> str | None:
    for a in argv[1:]:
        if "/in/" in a:
            return a
    return None


def _arg_cases(verb: Verb, f: dict[str, Path]) -> dict[str, tuple[list[str] | None, str]]:
    argv = verb.argv(f)
    first = verb.outputs[0]
    last = verb.outputs[-1]
    cases: dict[str, tuple[list[str] | None, str]] = {}
    inp = _first_input(argv)
    if inp is not None:
        cases["out_is_input"] = (_replace_out(argv, first, inp), first)
        cases["input_absent"] = (
            [a if a != inp else inp + ".missing.csv" for a in argv],
            "does not exist",
        )
        cases["input_empty"] = (None, "empty")  # built in the test (file changed)
        cases["input_header_only"] = (None, "no rows|empty|no data lines")
    cases["out_is_folder"] = (
        _replace_out(argv, first, str(f["out"])) if verb.name != "profile" else None,
        first,
    )
    cases["out_parent_is_file"] = (
        _replace_out(argv, last, str(f["data"]) + "/x.csv"),
        last,
    )
    if verb.name != "profile":
        cases["out_bad_extension"] = (_replace_out(argv, last, str(f["out"] / "x.xlsx")), last)
    if len(verb.outputs) > 1:
        same = argv[argv.index(first) + 1]
        cases["two_outputs_one_path"] = (_replace_out(argv, last, same), last)
        cases["second_output_is_folder"] = (_replace_out(argv, last, str(f["out"])), last)
    if verb.numeric_option is not None:
        opt, _ = verb.numeric_option
        bad = [*argv, opt, "abc"] if opt not in argv else _replace_out(argv, opt, "abc")
        cases["option_not_a_number"] = (bad, opt)
    cases["unknown_option"] = ([*argv, "--no-such-option", "1"], "--no-such-option")
    if verb.name not in ("hierarchy", "datasets"):
        i = argv.index(first)
        cases["missing_required"] = (argv[:i] + argv[i + 2 :], first)
    if verb.name == "profile":
        cases.pop("missing_required", None)  # --out has a default
    return cases


def _all_cases() -> list[tuple[str, str]]:
    out = []
    for v in VERBS:
        if v.table is not None:
            for c in DATA_CLASSES:
                if c == "time_typo" and v.time is None:
                    continue
                if (c == "missing_value" and not v.missing_option) or (
                    c == "negative_value" and v.negative == "ok"
                ):
                    continue
                out.append((v.name, c))
        names = [
            "out_is_input",
            "input_absent",
            "input_empty",
            "input_header_only",
            "out_is_folder",
            "out_parent_is_file",
            "out_bad_extension",
            "two_outputs_one_path",
            "second_output_is_folder",
            "option_not_a_number",
            "unknown_option",
            "missing_required",
        ]
        for n in names:
            out.append((v.name, n))
    return out


def _digest(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


CASES = _all_cases()
BY_NAME = {v.name: v for v in VERBS}


@pytest.mark.parametrize(("verb_name", "case"), CASES, ids=[f"{v}-{c}" for v, c in CASES])
def test_bad_input_exits_2_with_one_line_and_no_file(
    verb_name: str, case: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    verb = BY_NAME[verb_name]
    f = _files(tmp_path)
    expect: str
    if case in DATA_CLASSES:
        change, expect = DATA_CLASSES[case]
        assert verb.table is not None
        path = f[verb.table]
        df = pd.read_csv(path, dtype={k: str for k in verb.keys})
        change(df, verb).to_csv(path, index=False)
        argv = verb.argv(f)
        expect = expect.format(value=verb.value, key=verb.keys[0], time=verb.time)
        if case == "duplicated_key":
            expect = verb.dup_text
        if case == "negative_value" and verb.negative == "warn":
            code = main(argv)
            err = capsys.readouterr().err
            assert code == 0, err
            assert (
                f"ris3: warning: column {verb.value!r} has 1 negative value(s), e.g. line 3" in err
            )
            return
    else:
        arg_cases = _arg_cases(verb, f)
        built = ("input_empty", "input_header_only")
        if case not in arg_cases or (arg_cases[case][0] is None and case not in built):
            pytest.skip(f"{case} does not apply to {verb_name}")
        new_argv, expect = arg_cases[case]
        if case in built:
            argv = verb.argv(f)
            inp = _first_input(argv)
            assert inp is not None
            head = Path(inp).read_text().splitlines()[0] + "\n"
            Path(inp).write_text("" if case == "input_empty" else head)
        else:
            assert new_argv is not None
            argv = new_argv
    before_in = _digest(tmp_path / "in")
    code = main(argv)
    err = capsys.readouterr().err
    assert code == 2, f"exit {code}; stderr: {err}"
    lines = [ln for ln in err.splitlines() if ln.strip()]
    errors = [ln for ln in lines if ln.startswith("ris3: error: ")]
    assert len(errors) == 1 and all(ln.startswith("ris3: ") for ln in lines), err
    assert re.search(re.escape(expect).replace("\\|", "|"), errors[0]), (expect, errors[0])
    assert "np." not in errors[0] and "Traceback" not in err
    assert _digest(tmp_path / "out") == {}, "a failed run left files"
    assert [p.name for p in (tmp_path / "out").iterdir()] == []
    assert _digest(tmp_path / "in") == before_in, "an input changed"


@pytest.mark.parametrize("verb", [v.name for v in VERBS])
def test_good_input_keeps_codes_as_text(verb: str, tmp_path: Path) -> None:
    """The unchanged table runs (exit 0) and every code in an output is an input code."""
    v = BY_NAME[verb]
    f = _files(tmp_path)
    assert main(v.argv(f)) == 0
    written = list((tmp_path / "out").rglob("*.csv"))
    assert written
    if v.table is None:
        return
    given = pd.read_csv(f[v.table], dtype=str)
    codes = set().union(*(set(given[k]) for k in v.keys))
    for p in written:
        out = pd.read_csv(p, dtype=str)
        codes |= {"01", "02", "1"}  # parents in the aggregate hierarchy
        for col in set(out.columns) & {*v.keys, "activity", "origin", "destination", "node"}:
            assert set(out[col].dropna()) <= codes | {"Food", "Wood", "Metal"}, (p.name, col)


@pytest.mark.parametrize(
    ("extra", "expect"),
    [
        (["--years", "1900"], "years '1900' are not periods of 'sbs.tsv'; it has 2014..2015"),
        (["--years", "abc"], "years 'abc' are not periods"),
        (["--filter", "indic_sb=XXX"], "filter indic_sb= code(s) 'XXX' are not in 'sbs.tsv'"),
        (["--nuts-level", "0"], "no line of 'sbs.tsv' matches the filters and NUTS level 0"),
    ],
)
def test_read_bad_periods_and_filters(
    extra: list[str], expect: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    f = _files(tmp_path)
    assert (
        main(
            [
                "read",
                str(f["tsv"]),
                "--format",
                "eurostat",
                "--out",
                str(f["out"] / "o.csv"),
                *extra,
            ]
        )
        == 2
    )
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and expect in err, err
    assert list(f["out"].iterdir()) == []


def test_read_reports_duplicated_keys(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    f = _files(tmp_path)
    tsv = f["tsv"]
    tsv.write_text(tsv.read_text() + "C10,V16110,AT11\t121 \t111 \n")
    out = f["out"] / "o.csv"
    assert main(["read", str(tsv), "--format", "eurostat", "--out", str(out)]) == 0
    err = capsys.readouterr().err
    assert "ris3: warning: " in err and "4 rows have duplicated keys" in err
    assert "anomalies: duplicated_key 4" in err
    # kept as read, not averaged or dropped
    got = pd.read_csv(out).query("geo == 'AT11' and nace_r2 == 'C10' and time == 2015")
    assert sorted(got["value"]) == [120.0, 121.0]


# ---------------------------------------------------------------- evaluate

GOOD_CONFIG = (
    "[columns]\n"
    'firm = "firm_id"\nregion = "region"\nactivity = "activity"\ntime = "year"\n'
    'entry_year = "entry_year"\nvalue_added = "value_added"\n'
    "[evaluation]\n"
    'outcomes = ["value_added"]\npeer_regions = ["R02"]\nproductivity = false\n'
    'estimators = ["did_twfe", "naive"]\n'
    "[output]\n"
    'charts = "json"\n'
)


@pytest.fixture(scope="module")
def small_panel() -> pd.DataFrame:
    from ris3.evaluation.simulate import simulate_panel

    return simulate_panel(300, 6, seed=5, membership_rate=0.4)


@pytest.mark.parametrize(
    ("config", "expect"),
    [
        (GOOD_CONFIG + "colour = 1\n", "config [output] keys must be among charts; got colour"),
        (GOOD_CONFIG.replace("productivity = false", 'productivity = "yes"'),
         "config [evaluation] productivity must be true or false; got 'yes'"),
        (GOOD_CONFIG.replace('charts = "json"', 'charts = "gif"'),
         "charts must be one of html, json, svg, png; got 'gif'"),
        (GOOD_CONFIG.replace("[evaluation]\n", "[evaluation]\nevent_window = 5\n"),
         "event_window must be two integers >= 0"),
        (GOOD_CONFIG.replace('firm = "firm_id"', "firm = 3"),
         "config [columns] firm must be a column name (a string); got an integer 3"),
        ("columns = 3\n", "config [columns] must be a table of keys; got an integer"),
        (GOOD_CONFIG.replace("[evaluation]\n", "[evaluation]\nalpha = 5\n"),
         "alpha must be a number between 0 and 1; got 5"),
    ],
)  # fmt: skip
def test_evaluate_config_errors(
    config: str,
    expect: str,
    small_panel: pd.DataFrame,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    panel = tmp_path / "panel.parquet"
    small_panel.to_parquet(panel)
    cfg = tmp_path / "e.toml"
    cfg.write_text(config)
    out = tmp_path / "out"
    assert main(["evaluate", str(panel), "--config", str(cfg), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and expect in err, err
    assert not out.exists() and sorted(p.name for p in tmp_path.iterdir()) == [
        "e.toml",
        "panel.parquet",
    ]


def test_evaluate_config_not_utf8(
    small_panel: pd.DataFrame, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    panel = tmp_path / "panel.parquet"
    small_panel.to_parquet(panel)
    cfg = tmp_path / "e.toml"
    cfg.write_bytes(GOOD_CONFIG.encode("utf-16"))
    assert main(["evaluate", str(panel), "--config", str(cfg), "--out", str(tmp_path / "o")]) == 2
    assert "is not UTF-8 text" in capsys.readouterr().err


def test_evaluate_missing_outcome_is_an_error_then_reported(
    small_panel: pd.DataFrame, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """One missing value added is not silently left out of the estimation."""
    panel = small_panel.copy()
    i = panel.index[10]
    firm, year = panel.loc[i, "firm_id"], panel.loc[i, "year"]
    panel.loc[i, "value_added"] = np.nan
    csv = tmp_path / "panel.csv"
    panel.to_csv(csv, index=False)
    cfg = tmp_path / "e.toml"
    cfg.write_text(GOOD_CONFIG)
    out = tmp_path / "out"
    assert main(["evaluate", str(csv), "--config", str(cfg), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "column 'value_added' (value_added=) has 1 missing value(s)" in err
    assert f"firm '{firm}' in {year}" in err and "[evaluation] missing = drop" in err
    assert not out.exists()
    cfg.write_text(GOOD_CONFIG.replace("[evaluation]\n", '[evaluation]\nmissing = "drop"\n'))
    assert main(["evaluate", str(csv), "--config", str(cfg), "--out", str(out)]) == 0
    err = capsys.readouterr().err
    assert "ris3: warning: column 'value_added' has 1 missing value(s)" in err
    assert (
        "left out of outcomes: 1 row(s) with 'value_added' missing"
        in (out / "summary.txt").read_text()
    )
    full = len(panel)
    est = pd.read_csv(out / "estimates.csv")
    assert est["n_obs"].max() <= full - 1


# ---------------------------------------------------------------- engine errors

PANEL_CONFIG = (
    '[columns]\nfirm = "f"\nregion = "r"\nactivity = "a"\ntime = "y"\nentry_year = "e"\n'
    'value_added = "v"\n[evaluation]\nproductivity = false\n'
)
PANEL = pd.DataFrame(
    {"f": [1, 1, 2, 2], "r": "R1", "a": "A", "y": [2010, 2011, 2010, 2011],
     "e": [None, None, 2011, 2011], "v": ["5", "c", "4", "6"]}
)  # fmt: skip


def _garbage(p: Path) -> None:
    p.write_bytes(b"garbage")


def _truncated(p: Path) -> None:
    PANEL.assign(v=[5.0, 4.0, 4.0, 6.0]).to_parquet(p)
    p.write_bytes(p.read_bytes()[:300])


@pytest.mark.parametrize(
    ("name", "make", "expect"),
    [
        ("flag.parquet", lambda p: PANEL.to_parquet(p),
         "must hold a number in every row; got 'c'"),
        ("flag.csv", lambda p: PANEL.to_csv(p, index=False),
         "column 'v' (value_added=) must be numeric; 1 row(s) are not, e.g. line 3 of flag.csv = 'c'"),
        ("bad.parquet", _garbage, "bad.parquet': not a Parquet file, or truncated"),
        ("cut.parquet", _truncated, "cut.parquet': not a Parquet file, or truncated"),
        ("head.parquet", lambda p: PANEL.iloc[:0].astype(object).to_parquet(p),
         "no value in any row|no rows"),
        ("head.csv", lambda p: p.write_text("f,r,a,y,e,v\n"), "head.csv' has a header but no rows"),
        ("panel.xlsx", lambda p: pd.DataFrame({"x": [1]}).to_excel(p, index=False),
         "panel has no column 'f' (--firm)"),
    ],
)  # fmt: skip
def test_engine_errors_are_one_line(
    name: str,
    make: Callable[[Path], None],
    expect: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    panel = tmp_path / name
    make(panel)
    cfg = tmp_path / "c.toml"
    cfg.write_text(PANEL_CONFIG)
    out = tmp_path / "out"
    assert main(["evaluate", str(panel), "--config", str(cfg), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and re.search(re.escape(expect).replace("\\|", "|"), err), err
    assert "LINE 1" not in err and "Exception" not in err and not out.exists()


def test_translator_leaves_other_errors_alone() -> None:
    from ris3.engines.errors import translate_engine_error

    assert translate_engine_error(ValueError("x")) is None


def test_job_flows_reads_date_spells_from_csv(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spells = tmp_path / "spells.csv"
    spells.write_text(
        "w,ind,s,e\n"
        "w1,011,2010-01-01,2011-06-30\nw1,012,2011-08-01,2013-01-01\n"
        "w2,012,2010-01-01,2012-01-01\nw2,11,2012-03-01,2014-01-01\n"
    )
    out = tmp_path / "flows.csv"
    args = [
        "job-flows",
        str(spells),
        "--worker",
        "w",
        "--industry",
        "ind",
        "--start",
        "s",
        "--end",
        "e",
    ]
    # gaps: w1 32 days, w2 60 days
    assert main([*args, "--max-gap-days", "45", "--out", str(out)]) == 0
    assert pd.read_csv(out, dtype=str).values.tolist() == [["011", "012", "1"]]
    assert main([*args, "--max-gap-days", "90", "--out", str(out)]) == 0
    assert pd.read_csv(out, dtype=str).values.tolist() == [["011", "012", "1"], ["012", "11", "1"]]
    spells.write_text(spells.read_text().replace("2012-03-01", "2012-0x-01"))
    assert main([*args, "--max-gap-days", "90", "--out", str(tmp_path / "x.csv")]) == 2
    assert (
        "column 's' must hold numbers or dates (YYYY-MM-DD); line 5 of spells.csv is '2012-0x-01'"
        in (capsys.readouterr().err)
    )


def test_fitness_degenerate_values_are_reported_not_printed() -> None:
    import warnings

    from ris3.errors import DegenerateDataWarning
    from ris3.kernels.complexity import _warn_degenerate_fitness

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        _warn_degenerate_fitness(np.array([2.0, 0.0]), np.array([1.0, np.inf, 1.0]), " in 2015")
    assert [w.category for w in caught] == [DegenerateDataWarning]
    assert "degenerate in 2015: 1 region fitness value(s) and 1 activity" in str(caught[0].message)


def test_excel_input_keeps_codes(tmp_path: Path) -> None:
    """Codes typed as text in Excel ('011') and as numbers (11) stay two codes."""
    src = tmp_path / "data.xlsx"
    base_table().assign(
        nace=lambda d: d["nace"].map({"011": "011", "012": "012", "021": "021", "11": 11})
    ).to_excel(src, index=False)
    out = tmp_path / "o.csv"
    argv = ["specialisation", str(src), *K, "--time", "year", "--out", str(out)]
    assert main(argv) == 0
    got = pd.read_csv(out, dtype={"nace": str})
    assert sorted(set(got["nace"])) == ["011", "012", "021", "11"]
    assert len(got) == len(base_table())
