"""check_stakeholders: every imported row is created or rejected with its reason."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ris3.errors import InputError
from ris3.strategy import HELICES
from ris3.strategy.stakeholders import check_stakeholders


def _table() -> pd.DataFrame:
    rows = [
        # name, email, organisation, helix, public_private, consent, nuts, nace, note
        (
            "Anna Berger",
            "anna@alpenrose.example",
            "Hotel Alpenrose",
            "Business",
            "private",
            "yes",
            "AT33",
            "I55",
            "a",
        ),
        (
            "Eva Moser",
            " eva@uibk.example ",
            "Uni Innsbruck",
            "Forschung",
            "öffentlich",
            "",
            "at332",
            "",
            "b",
        ),
        ("", "x@y.example", "Verein", "civil society", "", "no", "", "", "c"),  # missing name
        ("Jon Doe", "jon@", "Bank", "finance", "", "", "", "", "d"),  # invalid email
        (
            "Max Huber",
            "max@land.example",
            "Land Tirol",
            "ministry",
            "",
            "",
            "",
            "",
            "e",
        ),  # unknown helix
        ("Ida Graf", "IDA@media.example", "ORF", "media", "", "", "", "", "f"),  # dup of next
        ("Ida Graf 2", "ida@media.example", "ORF", "Medien", "", "", "", "", "g"),
        (
            "Leo Wolf",
            "leo@old.example",
            "Firma",
            "industry",
            "",
            "",
            "",
            "",
            "h",
        ),  # already registered
        (
            "Mia Ebner",
            "mia@b.example",
            "Firma",
            "users",
            "",
            "perhaps",
            "Austria",
            "C10.11; 99x",
            "i",
        ),
        ("Tom Ried", "tom@b.example", "Cluster", "business-", "", "", "", "C;C10;10.1;C28.99", "j"),
    ]
    cols = [
        "name",
        "Email",
        "organisation",
        "helix",
        "public_private",
        "consent",
        "nuts",
        "nace",
        "note",
    ]
    return pd.DataFrame(rows, columns=cols, index=range(10, 20))


def test_hand_worked():
    t = _table()
    ok, bad = check_stakeholders(t, existing=["Leo@Old.example"])
    assert list(ok.index) == [10, 11, 19]
    assert list(ok.columns) == [
        "name", "email", "organisation", "helix", "role", "public_private", "consent", "nuts", "nace", "note",
    ]  # fmt: skip
    assert ok.loc[10, "helix"] == "business" and ok.loc[10, "consent"] == True  # noqa: E712
    assert ok.loc[11, "email"] == "eva@uibk.example"  # surrounding spaces removed
    assert ok.loc[11, "helix"] == "research" and ok.loc[11, "public_private"] == "public"
    assert not ok.loc[11, "consent"]  # empty consent: none recorded
    assert ok.loc[11, "nuts"] == "AT332" and pd.isna(ok.loc[11, "nace"])
    assert ok.loc[19, "helix"] == "business"  # "business-" normalises to "business"
    assert ok.loc[19, "nace"] == "C;C10;10.1;C28.99"
    assert ok.loc[19, "note"] == "j"  # other columns pass through
    reason = bad["reason"].to_dict()
    assert reason[12] == "missing name"
    assert reason[13] == "invalid email 'jon@'"
    assert reason[14].startswith(
        "unknown helix 'ministry'; allowed: business, research, government"
    )
    # both rows with ida@ (case differs) are rejected: the file does not say which is right
    assert reason[15] == "email 'IDA@media.example' appears 2 times in the file (rows 15, 16)"
    assert reason[16] == "email 'ida@media.example' appears 2 times in the file (rows 15, 16)"
    assert reason[17] == "email 'leo@old.example' is already registered"
    # three problems in one row, all reported
    assert reason[18] == (
        "consent 'perhaps' is not one of: yes, y, true, 1, ja, j, no, n, false, 0, nein; "
        "bad NUTS code 'Austria' (two letters and up to three letters or digits, e.g. AT33); "
        "bad NACE code '99X' (a section, division, group or class, e.g. C, C10, C10.1, C10.11; "
        "several separated by ;)"
    )
    # rejected rows keep the values as given
    assert bad.loc[16, "helix"] == "Medien"
    assert bad.loc[15, "Email"] == "IDA@media.example"
    # the caller's table is not modified
    pd.testing.assert_frame_equal(t, _table())


def test_errors():
    t = _table().drop(columns="helix")
    with pytest.raises(
        InputError,
        match=r"no column 'helix' \(required: name, email, organisation, helix\); available columns: 'name'",
    ):
        check_stakeholders(t)
    t = _table().assign(EMAIL="x")
    with pytest.raises(InputError, match=r"two columns for 'email': 'Email' and 'EMAIL'"):
        check_stakeholders(t)
    with pytest.raises(InputError, match=r"must be a pandas DataFrame; got dict"):
        check_stakeholders({"name": []})  # type: ignore[arg-type]


def test_only_required_columns():
    t = pd.DataFrame(
        {"name": ["A"], "email": ["a@b.eu"], "organisation": ["O"], "helix": ["GOVERNMENT"]}
    )
    ok, bad = check_stakeholders(t)
    assert len(bad) == 0 and ok.loc[0, "helix"] == "government"
    assert ok.loc[0, "consent"] == False  # noqa: E712
    assert pd.isna(ok.loc[0, "nuts"])


cells = st.fixed_dictionaries(
    {
        "name": st.sampled_from(["Ana", "", None, "  "]),
        "email": st.sampled_from(
            ["a@x.eu", "b@x.eu", "A@X.EU", "bad", "", None, "c@y.org", "d@old.eu"]
        ),
        "organisation": st.sampled_from(["Org", None]),
        "helix": st.sampled_from(
            ["business", "Zivilgesellschaft", "other", None, *[k for k, _ in HELICES]]
        ),
        "consent": st.sampled_from(["yes", "nein", "", "maybe", None]),
        "nuts": st.sampled_from(["AT33", "at3", "A1", "", None]),
        "nace": st.sampled_from(["I55", "C10.1;J62", "10", "X1", "", None]),
    }
)


@settings(max_examples=80, deadline=None)
@given(st.lists(cells, min_size=0, max_size=25), st.randoms(use_true_random=False))
def test_every_row_in_exactly_one_output(rows, rnd):
    t = pd.DataFrame(
        rows, columns=["name", "email", "organisation", "helix", "consent", "nuts", "nace"]
    )
    ok, bad = check_stakeholders(t, existing=["d@old.eu"])
    assert set(ok.index).isdisjoint(bad.index)
    assert sorted([*ok.index, *bad.index]) == list(t.index)
    assert all(isinstance(r, str) and r for r in bad["reason"])
    helices = {k for k, _ in HELICES}
    assert ok["helix"].isin(helices).all()
    if len(ok):
        emails = ok["email"].str.lower()
        assert emails.is_unique and not emails.eq("d@old.eu").any()
        assert ok["consent"].dtype == bool
    # permuting rows permutes the outputs and nothing else
    order = list(t.index)
    rnd.shuffle(order)
    ok2, bad2 = check_stakeholders(t.loc[order], existing=["d@old.eu"])
    pd.testing.assert_frame_equal(ok2.sort_index(), ok.sort_index())
    assert set(bad2.index) == set(bad.index)
