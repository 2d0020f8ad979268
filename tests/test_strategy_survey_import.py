"""Survey import: LimeSurvey and KoboToolbox/XLSForm fixtures (illustrative), tidy tables."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from ris3.errors import DataFileError, InputError
from ris3.strategy import perceived_strength
from ris3.strategy.survey_import import (
    ratings_from_import,
    read_limesurvey,
    read_survey_table,
    read_xlsform,
)

HERE = Path(__file__).parent / "references" / "surveys"


def test_limesurvey_export():
    imp = read_limesurvey(HERE / "limesurvey_results.csv")
    assert imp.rows == 6
    m = imp.mapping.set_index("column")
    assert m.loc["Q2[AGRI]", "question"] == "Q2" and m.loc["Q2[AGRI]", "item"] == "AGRI"
    assert m.loc["Q3[other]", "item"] == "other"
    assert m.loc["token", "kind"] == "respondent" and m.loc["submitdate", "kind"] == "metadata"
    # timing columns are not answers, and say so
    assert m.loc["groupTime12", "kind"] == "not mapped"
    # response 3 is unfinished, response 5 reuses token tkA2: both rejected with reasons
    rej = imp.rejected.set_index("row")
    assert rej.loc[3, "reason"].startswith("incomplete response (no submitdate)")
    assert rej.loc[5, "reason"] == "token already used by response id 2"
    assert sorted(imp.responses["respondent"].unique()) == ["tkA1", "tkA2", "tkA4", "tkA6"]
    # every source row is accounted for
    assert imp.responses["respondent"].nunique() + (imp.rejected["column"] == "").sum() == imp.rows
    r = imp.responses
    assert r[(r["respondent"] == "tkA4") & (r["question"] == "Q3")]["item"].tolist() == [
        "1",
        "2",
        "other",
    ]
    assert "4 respondents" in imp.summary() and "2 rows and 0 values rejected" in imp.summary()


def test_limesurvey_to_ratings_and_analysis():
    imp = read_limesurvey(HERE / "limesurvey_results.csv")
    ratings = ratings_from_import(
        imp, rating_question="Q2", helix_question="HELIX", sector_question="SECTOR"
    )
    agri = ratings[ratings["domain"] == "AGRI"].set_index("respondent")
    assert agri["rating"].to_dict() == {"tkA1": 4.0, "tkA2": 5.0, "tkA4": 4.0, "tkA6": 4.0}
    # "Wirtschaft" and "university" are accepted spellings of business and research
    assert agri.loc["tkA2", "helix"] == "business" and agri.loc["tkA6", "helix"] == "research"
    # N/A is no rating, not a zero
    biot = ratings[ratings["domain"] == "BIOT"].set_index("respondent")
    assert np.isnan(biot.loc["tkA2", "rating"])
    p = perceived_strength(ratings, min_respondents=4, n_boot=100).set_index("domain")
    assert p.loc["AGRI", "mean"] == pytest.approx(17 / 4)
    assert p.loc["BIOT", "suppressed"]  # 3 ratings < 4
    with pytest.raises(InputError, match="no answers to question 'Q9'"):
        ratings_from_import(imp, rating_question="Q9")


@pytest.fixture
def form_xlsx(tmp_path) -> Path:
    path = tmp_path / "form.xlsx"
    with pd.ExcelWriter(path) as xl:
        pd.read_csv(HERE / "xlsform_survey.csv").to_excel(xl, sheet_name="survey", index=False)
        pd.read_csv(HERE / "xlsform_choices.csv").to_excel(xl, sheet_name="choices", index=False)
    return path


def test_xlsform_kobo_export(form_xlsx):
    imp = read_xlsform(form_xlsx, HERE / "kobo_data.csv")
    m = imp.mapping.set_index("column")
    assert m.loc["about/helix", "question"] == "helix"
    assert m.loc["priorities/biotech", "item"] == "biotech"
    assert m.loc["extra_column", "kind"] == "not mapped"
    assert m.loc["_uuid", "kind"] == "respondent" and m.loc["start", "kind"] == "metadata"
    r = imp.responses
    first = r[r["respondent"] == "9f1c-aa01"]
    assert first[first["question"] == "priorities"]["item"].tolist() == ["agrifood", "biotech"]
    assert first.set_index("question").loc["staff", "value"] == "12"
    rej = imp.rejected
    third = rej[rej["row"] == 3].set_index("column")["reason"].to_dict()
    assert third["about/helix"] == (
        "'farmer' is not a choice of list 'helix' (choices: 'business', 'research', 'government', 'civil_society')"
    )
    assert third["rating/tourism"].startswith("'6' is not a choice of list 'likert'")
    assert third["staff"] == "'about 10' is not a number (integer question)"
    # the rest of row 3 is kept: its agrifood rating
    assert r[(r["respondent"] == "9f1c-aa03") & (r["question"] == "agrifood")][
        "value"
    ].tolist() == ["3"]
    assert rej[rej["row"] == 4]["reason"].tolist() == [
        "submission 9f1c-aa02 already imported from row 2"
    ]


def test_xlsform_split_columns_only(form_xlsx):
    data = pd.read_csv(HERE / "kobo_data.csv", dtype=str).drop(columns=["priorities"])
    imp = read_xlsform(form_xlsx, data)
    r = imp.responses
    assert r[(r["respondent"] == "9f1c-aa01") & (r["question"] == "priorities")][
        "item"
    ].tolist() == [
        "agrifood",
        "biotech",
    ]


def test_tidy_table_and_errors(tmp_path):
    t = pd.DataFrame(
        {
            "respondent": ["a", "a", "b", None, "c"],
            "question": ["q1", "q2", "q1", "q1", "q1"],
            "value": ["4", "yes", "3", "5", ""],
            "note": ["", "", "", "", ""],
        }
    )
    p = tmp_path / "t.csv"
    t.to_csv(p, index=False)
    imp = read_survey_table(p)
    assert len(imp.responses) == 3
    assert imp.rejected["reason"].tolist() == ["no respondent or no question", "no answer"]
    assert imp.mapping.set_index("column").loc["note", "kind"] == "not mapped"
    with pytest.raises(DataFileError, match="file not found"):
        read_limesurvey(tmp_path / "nope.csv")
    with pytest.raises(DataFileError, match="needs a 'survey' sheet"):
        read_xlsform({"choices": pd.DataFrame()}, t)
