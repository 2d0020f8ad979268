"""Property: a ris3 run either succeeds with every input key preserved, or leaves no file.

Random small tables (codes with leading zeros, look-alike codes, missing,
negative, infinite, huge and non-numeric values, duplicated rows) go through
the table verbs of the command line in process. A run that exits 0 must
write outputs whose codes are exactly the input codes, as text; a run that
fails must exit 2 with one ``ris3: error:`` line and leave the output folder
empty.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import hypothesis.strategies as st
import pandas as pd
from hypothesis import HealthCheck, event, given, settings

from ris3.cli import main

CODES = ["011", "11", "0110", "01", "1", "1.0", "C10", "010"]
REGIONS = ["AT11", "AT12", "001", "1", "DE21"]
GOOD = st.floats(0.5, 1e6)
BAD = st.sampled_from(["", "c", ":", "-3", "inf", "1e308", "2e-320", "0", "true"])

row = st.tuples(
    st.sampled_from(REGIONS), st.sampled_from(CODES), st.sampled_from([2010, 2015]), GOOD
)
VERBS = {
    "specialisation": ["--time", "year"],
    "diversity": ["--time", "year"],
    "relatedness": ["--time", "year"],
    "complexity": ["--time", "year"],
    "shift-share": ["--time", "year"],
}


def _cell(v: object) -> str:
    return repr(v) if isinstance(v, float) else str(v)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    rows=st.lists(row, min_size=1, max_size=24, unique_by=lambda r: r[:3]),
    duplicate=st.sampled_from([False, False, False, True]),
    bad=st.one_of(st.none(), st.tuples(st.integers(0, 23), BAD)),
    verb=st.sampled_from(sorted(VERBS)),
    missing=st.sampled_from(["raise", "drop", "zero"]),
)
def test_run_keeps_keys_or_leaves_nothing(
    rows: list[tuple],
    duplicate: bool,
    bad: tuple[int, str] | None,
    verb: str,
    missing: str,
) -> None:
    if bad is not None:  # one bad cell
        i = bad[0] % len(rows)
        rows = [*rows[:i], (*rows[i][:3], bad[1]), *rows[i + 1 :]]
    if duplicate:
        rows = [*rows, rows[0]]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        src = folder / "in.csv"
        src.write_text(
            "geo,nace,year,emp\n" + "".join(f"{r},{a},{y},{_cell(v)}\n" for r, a, y, v in rows)
        )
        out_dir = folder / "out"
        out_dir.mkdir()
        argv = [verb, str(src), "--region", "geo", "--activity", "nace", "--value", "emp",
                *VERBS[verb], "--out", str(out_dir / "o.csv")]  # fmt: skip
        if verb != "shift-share":
            argv += ["--missing", missing]
        import contextlib
        import io

        err = io.StringIO()
        with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
            code = main(argv)
        text = err.getvalue()
        event(f"exit {code}")
        written = sorted(out_dir.iterdir())
        if code != 0:
            assert code == 2, text
            errors = [ln for ln in text.splitlines() if ln.startswith("ris3: error: ")]
            assert len(errors) == 1 and "Traceback" not in text, text
            assert written == [], "a failed run left files"
            return
        given_rows = pd.read_csv(src, dtype={"geo": str, "nace": str})
        assert [p.name for p in written] == ["o.csv"]
        got = pd.read_csv(written[0], dtype={"geo": str, "nace": str, "activity_from": str,
                                             "activity_to": str})  # fmt: skip
        codes, regions = set(given_rows["nace"]), set(given_rows["geo"])
        for col in ("nace", "activity_from", "activity_to"):
            if col in got:
                assert set(got[col]) <= codes, (col, set(got[col]) - codes)
        if "geo" in got:
            assert set(got["geo"]) <= regions
        if verb == "specialisation":
            # one output row per input row, same keys in the same order, unless
            # --missing drop said to leave rows out
            keep = given_rows if missing != "drop" else given_rows[given_rows["emp"].notna()]
            assert got[["year", "geo", "nace"]].astype(str).values.tolist() == (
                keep[["year", "geo", "nace"]].astype(str).values.tolist()
            )
