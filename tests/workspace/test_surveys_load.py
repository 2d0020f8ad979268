"""The survey load benchmark, small: concurrent respondents lose and duplicate nothing."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_survey_load_small_run_loses_and_duplicates_nothing() -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    env.pop("RIS3_DATABASE_URL", None)
    out = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "bench_survey_load.py"), "--clients", "10",
         "--seconds", "8", "--think", "0.5", "--tokens-per-client", "5", "--double", "0.5"],
        capture_output=True, text=True, env=env, timeout=600, check=True,
    )  # fmt: skip
    r = json.loads(out.stdout)
    assert r["n_errors"] == 0 and r["server_5xx"] == 0
    assert r["confirmed"] == r["stored"] == r["sent"]["answers"] > 0
    assert r["lost"] == 0 and r["duplicated"] == 0 and r["stored_unconfirmed"] == 0
    assert r["statuses"]["post again"] == (
        {"409": r["sent"]["again"]} if r["sent"]["again"] else {}
    )
    assert r["answers_per_response"] == [12]
