"""NUTS codes of the register against the bundled classification, the wide register
sheet, and the priorities' cluster stages read from Tirol's real profile."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ris3.strategy import (
    check_instruments,
    join_register,
    nuts_codes,
    priority_stages,
    split_register,
)


def _register(**over: object) -> pd.DataFrame:
    row = {
        "instrument": "A", "owner": "Agency", "level": "regional", "tool_group": "generic",
        "orientation": "horizontal", "territory": "AT33", "target_groups": "all",
        "priorities": "", "decision": "keep", "rationale": "",
    }  # fmt: skip
    row.update(over)
    return pd.DataFrame([row])


def test_nuts_codes_are_those_of_nuts_2021() -> None:
    known = nuts_codes()
    # Tirol and its five NUTS 3 regions, Austria; AT33 has no sixth region
    assert {"AT", "AT3", "AT33", "AT331", "AT332", "AT333", "AT334", "AT335"} <= known
    assert "AT336" not in known and "AT39" not in known
    # NUTS 2021 recoded Ireland's regions: IE04-06 exist, IE02 (NUTS 2016) does not
    assert {"IE04", "IE05", "IE06"} <= known and "IE02" not in known


@pytest.mark.parametrize(
    ("territory", "eligible", "reason"),
    [
        ("AT33", "", None),
        ("at332", "ITH1;ITH2", None),
        ("AT39", "", "unknown NUTS code 'AT39'"),
        ("AT33", "ITH9", "unknown NUTS code in eligible_beyond 'ITH9'"),
        ("AT33", "I-TH1", "bad NUTS code in eligible_beyond 'I-TH1'"),
    ],
)
def test_territory_and_eligible_areas_checked_against_nuts(
    territory: str, eligible: str, reason: str | None
) -> None:
    ok, bad = check_instruments(
        _register(territory=territory, eligible_beyond=eligible), known_nuts=nuts_codes()
    )
    if reason is None:
        assert len(ok) == 1 and ok["eligible_beyond"].iloc[0] == tuple(
            c.upper() for c in eligible.split(";") if c
        )
    else:
        assert bad["reason"].iloc[0] == reason


def test_without_the_classification_only_the_form_is_checked() -> None:
    ok, _ = check_instruments(_register(territory="AT39"))
    assert len(ok) == 1


def test_priority_stages_on_tirols_profile() -> None:
    import ris3

    spec = ris3.profile("AT33").specialisation
    pri = pd.DataFrame(
        {
            "priority": ["tourism", "wood", "machines", "two", "nothing"],
            "codes": ["I55", "C16", "C28", "I55;C16", "Z99"],
        }
    )
    out = priority_stages(pri, spec).set_index("priority")
    # the profile's own rows, read independently
    row = spec.set_index("activity")
    for p, code in (("tourism", "I55"), ("wood", "C16"), ("machines", "C28")):
        assert out.at[p, "stage"] == row.at[code, "stage"]
        assert out.at[p, "stars"] == row.at[code, "stars"]
    assert (out.at["tourism", "stage"], out.at["tourism", "stars"]) == ("mature", 3.0)
    assert (out.at["wood", "stage"], out.at["machines", "stage"]) == ("declining", "emerging")
    # two codes that disagree, and an unknown code: no stage, and why
    assert pd.isna(out.at["two", "stage"]) and math.isnan(out.at["two", "stars"])
    assert out.at["nothing", "reason"] == "not in the evidence: Z99"


def test_wide_sheet_round_trip_keeps_missing_cells_missing() -> None:
    sheet = pd.DataFrame(
        {
            "instrument": ["A", "B"],
            "level": ["regional", "EU"],
            "budget_2024": [1e6, None],
            "budget_2025": [None, 2e5],
            "share_ERDF": [0.25, None],
            "share_regional": [0.75, 1.0],
        }
    )
    ins, bud, fund = split_register(sheet)
    assert len(bud) == 2 and len(fund) == 3  # empty cells are no rows, not zeros
    back = join_register(ins, bud, fund)
    pd.testing.assert_frame_equal(back, sheet, check_like=True)


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.dictionaries(st.sampled_from([2023, 2024, 2025]), st.floats(0, 1e7), max_size=3),
            st.dictionaries(
                st.sampled_from(["ERDF", "national", "private"]), st.floats(0, 1), max_size=3
            ),
        ),
        min_size=1,
        max_size=5,
    )
)
def test_split_inverts_join(rows: list[tuple[dict[int, float], dict[str, float]]]) -> None:
    names = [f"I{i}" for i in range(len(rows))]
    ins = pd.DataFrame({"instrument": names})
    bud = pd.DataFrame(
        [(n, y, v) for n, (b, _) in zip(names, rows) for y, v in sorted(b.items())],
        columns=["instrument", "year", "budget_eur"],
    )
    fund = pd.DataFrame(
        [(n, s, v) for n, (_, f) in zip(names, rows) for s, v in sorted(f.items())],
        columns=["instrument", "source", "share"],
    )
    _, bud2, fund2 = split_register(join_register(ins, bud, fund))
    key_b, key_f = ["instrument", "year"], ["instrument", "source"]
    pd.testing.assert_frame_equal(
        bud2.sort_values(key_b, ignore_index=True).astype({"year": int, "budget_eur": float}),
        bud.sort_values(key_b, ignore_index=True).astype({"year": int, "budget_eur": float}),
    )
    pd.testing.assert_frame_equal(
        fund2.sort_values(key_f, ignore_index=True).astype({"share": float}),
        fund.sort_values(key_f, ignore_index=True).astype({"share": float}),
    )
