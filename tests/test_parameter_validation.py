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
