"""Every exported function checks its options the same way, with one message template.

Flags take True or False only (numpy bools too); numbers take any
``numbers.Real``/``numbers.Integral`` (numpy scalars too) but never a bool;
the message is ``"<name> must be <what is allowed>; got <value>"``.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
import pytest

import ris3
from ris3.errors import ConventionError, InputError

KEYS = {"region": "geo", "activity": "nace_r2", "value": "persons_employed"}


@pytest.fixture(scope="module")
def sbs() -> pd.DataFrame:
    d = ris3.datasets.load("eu-sbs")
    d = d[d["geo"].str.startswith(("AT", "DE", "IT")) & d["year"].isin([2010, 2014])]
    return d.dropna(subset=["persons_employed"]).reset_index(drop=True)


@pytest.fixture(scope="module")
def one_year(sbs: pd.DataFrame) -> pd.DataFrame:
    return sbs[sbs["year"] == 2014].reset_index(drop=True)


def _calls(sbs: pd.DataFrame, one: pd.DataFrame) -> dict[str, Callable[..., Any]]:
    """name -> call with valid arguments, taking the parameter under test as keywords."""
    prox = ris3.proximity(one, **KEYS)
    panel = {"time": "year", "start": 2010, "end": 2014}
    return {
        "location_quotient": lambda **kw: ris3.location_quotient(one, **KEYS, **kw),
        "rca": lambda **kw: ris3.rca(one, **KEYS, **kw),
        "diversity": lambda **kw: ris3.diversity(one, **KEYS, **kw),
        "ubiquity": lambda **kw: ris3.ubiquity(one, **KEYS, **kw),
        "krugman_index": lambda **kw: ris3.krugman_index(one, **KEYS, **kw),
        "encode": lambda **kw: ris3.encode(one, **KEYS, **kw),
        "proximity": lambda **kw: ris3.proximity(one, **KEYS, **kw),
        "relatedness_density": lambda **kw: ris3.relatedness_density(one, **KEYS, **kw),
        "complexity": lambda **kw: ris3.complexity(one, **KEYS, **kw),
        "opportunities": lambda **kw: ris3.opportunities(one, **KEYS, target="AT33", **kw),
        "peers": lambda **kw: ris3.peers(one, **KEYS, target="AT33", **kw),
        "partners": lambda **kw: ris3.partners(one, **KEYS, target="AT33", proximity=prox, **kw),
        "backtest": lambda **kw: ris3.backtest(sbs, **KEYS, **panel, **kw),
        "entry_exit": lambda **kw: ris3.entry_exit(sbs, **KEYS, **panel, **kw),
        "specialisation_change": lambda **kw: ris3.specialisation_change(
            sbs, **KEYS, **panel, **kw
        ),
    }


# exported functions with True/False or threshold parameters that are tested elsewhere
# (they need cluster definitions, flows, surveys or files rather than a region table)
ELSEWHERE = {
    "aggregate_relatedness",
    "call_robustness",
    "colocation_relatedness",
    "evaluate_programme",
    "map_clusters",
    "prepare_panel",
    "profile",
    "rank_alternatives",
    "read_eurostat_tsv",
    "relatedness_network",
    "rpop",
    "skill_relatedness",
    "strong_clusters",
    "tech_economy_match",
    "weight_sensitivity",
}


def _flags(fn: Callable[..., Any]) -> list[str]:
    return [
        p.name for p in inspect.signature(fn).parameters.values() if isinstance(p.default, bool)
    ]


@pytest.fixture(scope="module")
def calls(sbs: pd.DataFrame, one_year: pd.DataFrame) -> dict[str, Callable[..., Any]]:
    return _calls(sbs, one_year)


def test_every_function_with_flags_or_threshold_is_covered(
    calls: dict[str, Callable[..., Any]],
) -> None:
    exported = {
        name
        for name in ris3.__all__
        if inspect.isfunction(obj := getattr(ris3, name))
        and (_flags(obj) or "threshold" in inspect.signature(obj).parameters)
    }
    assert exported - ELSEWHERE == set(calls) - {"peers"}


@pytest.mark.parametrize("bad", [1, 0, "yes", None, 1.0])
def test_flags_take_true_or_false_only(calls: dict[str, Callable[..., Any]], bad: object) -> None:
    checked = 0
    for name, call in calls.items():
        for flag in _flags(getattr(ris3, name)):
            want = f"{flag} must be True or False; got {bad!r}"
            with pytest.raises(InputError, match=f"^{re.escape(want)}$"):
                call(**{flag: bad})
            checked += 1
    assert checked >= 20


@pytest.mark.parametrize(
    ("bad", "shown"), [(0, "0"), (-1, "-1"), (True, "True"), ("1", "'1'"), (np.nan, "nan")]
)
def test_threshold_must_be_a_positive_number(
    calls: dict[str, Callable[..., Any]], bad: object, shown: str
) -> None:
    for name, call in calls.items():
        if "threshold" not in inspect.signature(getattr(ris3, name)).parameters:
            continue
        want = f"threshold must be a number > 0; got {shown}"
        with pytest.raises(InputError, match=f"^{re.escape(want)}$"):
            call(threshold=bad)


def test_missing_must_be_a_known_policy(calls: dict[str, Callable[..., Any]]) -> None:
    for name, call in calls.items():
        if "missing" not in inspect.signature(getattr(ris3, name)).parameters:
            continue
        with pytest.raises(ConventionError, match=r"^missing must be one of 'raise', .*got 'nan'$"):
            call(missing="nan")


def test_numpy_scalars_are_numbers(one_year: pd.DataFrame) -> None:
    plain = ris3.location_quotient(one_year, **KEYS, threshold=1.0)
    np32 = ris3.location_quotient(one_year, **KEYS, threshold=np.float32(1.0))
    pd.testing.assert_frame_equal(plain, np32)
    top = ris3.peers(one_year, **KEYS, target="AT33", n=3)
    pd.testing.assert_frame_equal(top, ris3.peers(one_year, **KEYS, target="AT33", n=np.int64(3)))
    assert len(top) == 3
    flags = ris3.location_quotient(one_year, **KEYS, strict=np.bool_(True))
    assert (flags["specialised"] == (flags["lq"] > 1)).all()


@pytest.mark.parametrize(("bad", "shown"), [(0, "0"), (2.0, "2.0"), (True, "True")])
def test_counts_must_be_integers(one_year: pd.DataFrame, bad: object, shown: str) -> None:
    with pytest.raises(InputError, match=f"^n must be an integer >= 1; got {re.escape(shown)}$"):
        ris3.peers(one_year, **KEYS, target="AT33", n=bad)  # type: ignore[arg-type]


# ---------------------------------------------------------------------------
# Every parameter of every covered function, derived from its signature:
# a True/False parameter refuses 1, a number refuses the string "1" and takes
# numpy scalars, an option (a Literal) refuses an unknown value; one message
# template, "<name> must be <what is allowed>; got <value>".


# functions covered here -> call with valid arguments
def _generic_calls(sbs: pd.DataFrame, one: pd.DataFrame) -> dict[str, Callable[..., Any]]:
    panel = {"time": "year", "start": 2010, "end": 2014, "missing": "drop"}
    sections = one[["nace_r2", "nace_section"]].drop_duplicates()
    hier = sections.rename(columns={"nace_r2": "child", "nace_section": "parent"})
    definition = ris3.ClusterDefinition.from_frame(
        sections, activity="nace_r2", cluster="nace_section"
    )
    typed = ris3.eu_benchmark_clusters()
    with_units = sbs.dropna(subset=["local_units"])
    cm = ris3.map_clusters(
        with_units, typed, **KEYS, establishments="local_units", time="year", missing="drop"
    )
    prox = ris3.proximity(one, **KEYS)
    divisions = pd.DataFrame({"geo": "AT11", "nace": ["C10", "C11", "F41"], "emp": [1.0, 2, 3]})
    old = pd.DataFrame({"geo": ["LT00", "AT11"], "year": 2014, "emp": [10.0, 5.0]})
    return {
        **_calls(sbs, one),
        "herfindahl": lambda **kw: ris3.herfindahl(one, **KEYS, **kw),
        "coefficient_of_specialisation": lambda **kw: ris3.coefficient_of_specialisation(
            one, **KEYS, **kw
        ),
        "hoover_index": lambda **kw: ris3.hoover_index(one, **KEYS, **kw),
        "gini_specialisation": lambda **kw: ris3.gini_specialisation(one, **KEYS, **kw),
        "locational_gini": lambda **kw: ris3.locational_gini(one, **KEYS, **kw),
        "entropy": lambda **kw: ris3.entropy(one, **KEYS, **kw),
        "variety": lambda **kw: ris3.variety(one, **KEYS, hierarchy=hier, **kw),
        "rpop": lambda **kw: ris3.rpop(
            one, **KEYS, population={g: 1e6 for g in one["geo"].unique()}, **kw
        ),
        "shift_share": lambda **kw: ris3.shift_share(
            sbs[sbs["geo"].str.startswith("AT")], **KEYS, **{**panel, **kw}
        ),
        "colocation_relatedness": lambda **kw: ris3.colocation_relatedness(one, **KEYS, **kw),
        "aggregate_relatedness": lambda **kw: ris3.aggregate_relatedness(prox, definition, **kw),
        "relatedness_network": lambda **kw: ris3.relatedness_network(prox, max_extra_edges=5, **kw),
        "map_clusters": lambda **kw: ris3.map_clusters(one, typed, **KEYS, **kw),
        "cluster_stars": lambda **kw: ris3.cluster_stars(cm, **kw),
        "strong_clusters": lambda **kw: ris3.strong_clusters(cm, **kw),
        "portfolio": lambda **kw: ris3.portfolio(cm, start=2010, end=2014, target="AT33", **kw),
        "eu_benchmark_clusters": lambda **kw: ris3.eu_benchmark_clusters(**kw),
        "aggregate": lambda **kw: ris3.aggregate(
            divisions,
            region="geo",
            activity="nace",
            value="emp",
            hierarchy="nace_eurostat",
            **{"missing": "drop", **kw},
        ),  # fmt: skip
        "convert_nuts": lambda **kw: ris3.convert_nuts(
            old, region="geo", value="emp", from_version=2013, time="year", **kw
        ),
    }


# exported functions with such parameters covered by the tests of their own part
# (surveys, calls, monitoring, the profile, the evaluation, files and engines)
OWN_TESTS = {
    "advise", "advisor_flags", "call_robustness", "candidate_domains",
    "check_intervention_logic", "domain_observations", "engagement_fatigue",
    "evaluate_programme", "prepare_panel", "profile", "perceived_strength",
    "public_private_gap", "perception_vs_data", "rank_alternatives", "region_stage",
    "scorecard", "simulate_panel", "weight_sensitivity", "read_cbp", "read_eurostat_tsv",
    "nuts_adjacency", "estimate_suppressed", "eu_cluster_stars", "tech_economy_match",
    "skill_relatedness", "us_benchmark_clusters", "connect", "job_spells_to_flows",
    "table_from", "to_pandas",
}  # fmt: skip


def _options(fn: Callable[..., Any]) -> list[str]:
    import typing

    hints = typing.get_type_hints(fn)
    out = []
    for name, hint in hints.items():
        kinds = [hint, *typing.get_args(hint)]
        if any(typing.get_origin(k) is typing.Literal for k in kinds):
            out.append(name)
    return out + sorted(NUMBER_OPTIONS.get(fn.__name__, set()))


# numeric parameters that are options (one of a few values) rather than numbers
NUMBER_OPTIONS = {"convert_nuts": {"to_version"}}


def _numbers(fn: Callable[..., Any]) -> dict[str, float]:
    return {
        p.name: p.default
        for p in inspect.signature(fn).parameters.values()
        if isinstance(p.default, int | float)
        and not isinstance(p.default, bool)
        and p.name not in NUMBER_OPTIONS.get(fn.__name__, set())
    }


@pytest.fixture(scope="module")
def generic(sbs: pd.DataFrame, one_year: pd.DataFrame) -> dict[str, Callable[..., Any]]:
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return _generic_calls(sbs, one_year)


def _parameterised(name: str) -> bool:
    fn = getattr(ris3, name)
    return bool(_flags(fn) or _numbers(fn) or _options(fn))


def test_every_function_with_checked_parameters_is_covered(
    generic: dict[str, Callable[..., Any]],
) -> None:
    exported = {n for n in ris3.__all__ if inspect.isfunction(getattr(ris3, n))}
    with_params = {n for n in exported - OWN_TESTS if _parameterised(n)}
    assert with_params == set(generic) - {"encode"} | ({"encode"} & with_params)
    assert OWN_TESTS <= exported  # no stale names


def _problem(call: Callable[..., Any], error: type[Exception], pattern: str, **kw: Any) -> str:
    """'' if the call raises ``error`` with a message matching ``pattern``, else what it did."""
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            call(**kw)
        except error as exc:
            return "" if re.fullmatch(pattern, str(exc)) else f"{type(exc).__name__}: {exc}"
        except Exception as exc:  # noqa: BLE001 - reported as the problem
            return f"{type(exc).__name__}: {exc}"
    return "no error"


def _expect(call: Callable[..., Any], error: type[Exception], message: str, **kw: Any) -> None:
    assert _problem(call, error, re.escape(message), **kw) == ""


def test_every_flag_refuses_one(generic: dict[str, Callable[..., Any]]) -> None:
    problems, checked = {}, 0
    for name, call in generic.items():
        for flag in _flags(getattr(ris3, name)):
            want = re.escape(f"{flag} must be True or False; got 1")
            problems[f"{name}({flag}=1)"] = _problem(call, InputError, want, **{flag: 1})
            checked += 1
    assert {k: v for k, v in problems.items() if v} == {}
    assert checked >= 25


def test_every_number_refuses_a_string(generic: dict[str, Callable[..., Any]]) -> None:
    problems = {}
    for name, call in generic.items():
        for number in _numbers(getattr(ris3, name)):
            want = rf"{number} must be (a number|an integer)[^;]*; got '1'"
            problems[f"{name}({number}='1')"] = _problem(call, InputError, want, **{number: "1"})
    assert {k: v for k, v in problems.items() if v} == {}
    assert len(problems) >= 20


def test_every_number_takes_numpy_scalars(generic: dict[str, Callable[..., Any]]) -> None:
    """The default as a numpy scalar is accepted (np.int64, np.float64, np.float32)."""
    import warnings

    problems, checked = {}, 0
    for name, call in generic.items():
        for number, default in _numbers(getattr(ris3, name)).items():
            scalars = [np.int64(default)] if isinstance(default, int) else [np.float64(default)]
            if isinstance(default, float) and float(np.float32(default)) == default:
                scalars.append(np.float32(default))
            for scalar in scalars:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    try:
                        call(**{number: scalar})
                    except Exception as exc:  # noqa: BLE001 - reported below
                        problems[f"{name}({number}={scalar!r})"] = f"{type(exc).__name__}: {exc}"
                checked += 1
    assert problems == {}
    assert checked >= 20


def test_every_option_refuses_an_unknown_value(generic: dict[str, Callable[..., Any]]) -> None:
    problems = {}
    for name, call in generic.items():
        for option in _options(getattr(ris3, name)):
            want = rf"{option} must be one of .+; got 'no-such-option'"
            problems[f"{name}({option}=)"] = _problem(
                call, ConventionError, want, **{option: "no-such-option"}
            )
    assert {k: v for k, v in problems.items() if v} == {}
    assert len(problems) >= 30


def test_out_of_range_numbers(generic: dict[str, Callable[..., Any]]) -> None:
    cases = [
        ("cluster_stars", "size_top_share", 1.5, "a number > 0 and <= 1"),
        ("strong_clusters", "lq_percentile", 101, "a number >= 0 and <= 100"),
        ("portfolio", "size_share", -0.1, "a number >= 0 and <= 1"),
        ("entropy", "base", 1, "a number > 0 other than 1"),
        ("colocation_relatedness", "threshold", 0, "a number > 0"),
        ("convert_nuts", "min_share", 1.5, "a number >= 0 and <= 0.1"),
    ]
    for name, param, bad, allowed in cases:
        _expect(generic[name], InputError, f"{param} must be {allowed}; got {bad}", **{param: bad})
