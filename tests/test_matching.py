"""Matching people across sheets and waves (matching.py)."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import connectnet as cn
from connectnet.matching import PAIR_COLUMNS, _name_tokens, _score


def _people(names, orgs=None, ids=None, **extra) -> pd.DataFrame:
    ids = ids or [f"p{i + 1}" for i in range(len(names))]
    orgs = orgs or ["o1"] * len(names)
    frame = pd.DataFrame({"name": names, "organisation_id": orgs, **extra}, index=ids)
    frame.index.name = "person_id"
    return frame


def _pairs(frame: pd.DataFrame) -> list[tuple[str, str]]:
    return list(zip(frame["left_id"], frame["right_id"], strict=True))


@pytest.mark.parametrize(
    ("a", "b", "reason"),
    [
        ("Dr Jane Smith", "jane smith", "same given name"),
        ("Prof. Jane Smith", "J. Smith", "initial matches the given name"),
        ("Robert Smith", "Bob Smith", "nickname of the same given name"),
        ("Elizabeth Jones", "Liz Jones", "nickname of the same given name"),
        ("Siân O'Connor", "Sian OConnor", "same surname"),
        ("Mary Smith-Jones", "Mary Smith", "one surname is part of the other"),
        ("Smith, Jane", "Jane Smith", "same surname"),
        ("Smith Jane", "Jane Smith", "given name and surname swapped"),
        ("Jane Smith", "Jane Smyth", "surnames differ by one letter"),
    ],
)
def test_each_way_a_register_spells_a_person_is_a_candidate(a, b, reason):
    pairs = cn.match_people(_people([a, b]))
    assert _pairs(pairs) == [("p1", "p2")]
    assert reason in pairs["reasons"].iloc[0]
    assert "same organisation" in pairs["reasons"].iloc[0]


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Jane Smith", "John Smith"),  # different given names
        ("Jane Smith", "Jane Brown"),  # different surnames
        ("Ann Lee", "Ann Lea"),  # one-letter typo, but words under four letters
        ("Jane Smith", ""),
    ],
)
def test_different_people_are_not_candidates(a, b):
    assert cn.match_people(_people([a, b])).empty


def test_people_are_compared_only_within_an_organisation_unless_asked():
    people = _people(["Jane Smith", "Jane Smith"], orgs=["o1", "o2"])
    assert cn.match_people(people).empty
    pairs = cn.match_people(people, on=("name",))
    assert _pairs(pairs) == [("p1", "p2")]
    assert "same organisation" not in pairs["reasons"].iloc[0]


def test_score_is_the_fellegi_sunter_posterior():
    # Jane Smith / Jane Smith in one organisation: W = log2(.88/.005) + log2(.80/.02)
    # + log2(.95/.05) = 7.459 + 5.322 + 4.248 = 17.03 bits; prior odds 2^-8.5, so the
    # posterior odds are 2^(17.03 - 8.5) = 2^8.53 and the score 1 / (1 + 2^-8.53) = 0.9973.
    pairs = cn.match_people(_people(["Jane Smith", "Jane Smith"]))
    weight = math.log2(0.88 / 0.005) + math.log2(0.80 / 0.02) + math.log2(0.95 / 0.05)
    assert pairs["score"].iloc[0] == pytest.approx(1 / (1 + 2 ** -(weight - 8.5)))
    assert pairs["score"].iloc[0] == pytest.approx(0.9973, abs=1e-4)
    assert isinstance(pairs["score"].iloc[0], float)


def test_threshold_keeps_pairs_at_or_above_it():
    people = _people(["Jane Smith", "J Smith", "Jane Smith"])
    every = cn.match_people(people, threshold=0.0)
    strict = cn.match_people(people, threshold=0.99)
    assert set(_pairs(strict)) == {("p1", "p3")}
    assert set(_pairs(strict)) < set(_pairs(every))
    assert every["score"].is_monotonic_decreasing
    with pytest.raises(ValueError, match="between 0 and 1"):
        cn.match_people(people, threshold=1.5)


def test_two_tables_pair_each_person_with_their_best_match_only():
    left = _people(["Jane Smith", "Jane Smyth"], ids=["a1", "a2"])
    right = _people(["Jane Smith", "Tom Lee"], ids=["b1", "b2"])
    pairs = cn.match_people(left, right)
    assert _pairs(pairs) == [("a1", "b1")]
    assert list(pairs.columns) == PAIR_COLUMNS
    assert pairs["left_organisation"].iloc[0] == "o1"


def test_extra_field_in_on_adds_or_removes_weight():
    people = _people(
        ["J Smith", "Jane Smith", "Jane Smith"], email=["js@x.nhs.uk", "js@x.nhs.uk", "other@y"]
    )
    pairs = cn.match_people(people, on=("name", "organisation_id", "email"), threshold=0.0)
    scores = dict(zip(_pairs(pairs), pairs["score"], strict=True))
    assert scores[("p1", "p2")] > 0.99  # same e-mail lifts an initial-only match
    assert scores[("p2", "p3")] < cn.match_people(people)["score"].max()
    with pytest.raises(ValueError, match="no column"):
        cn.match_people(people, on=("name", "phone"))
    with pytest.raises(ValueError, match="include 'name'"):
        cn.match_people(people, on=("email",))


def test_name_tokens_ignore_titles_accents_punctuation_and_comma_order():
    assert _name_tokens("Dr. Siân O'Connor") == ["sian", "oconnor"]
    assert _name_tokens("Smith, Jane") == ["jane", "smith"]
    assert _name_tokens("Lord") == ["lord"]
    assert _score(8.5) == pytest.approx(0.5)


@settings(deadline=None, max_examples=40)
@given(
    st.lists(
        st.sampled_from(["Jane Smith", "J Smith", "Bob Lee", "Robert Lee", "Ann"]), max_size=6
    )
)
def test_matching_ignores_row_order_and_never_mutates(names):
    people = _people(names)
    before = people.copy()
    pairs = cn.match_people(people)
    pd.testing.assert_frame_equal(people, before)
    flipped = cn.match_people(people.iloc[::-1])
    assert {frozenset(p) for p in _pairs(pairs)} == {frozenset(p) for p in _pairs(flipped)}
    assert ((pairs["score"] >= 0.5) & (pairs["score"] <= 1)).all()


# --- apply_matches ------------------------------------------------------------------


@pytest.fixture
def data() -> cn.Dataset:
    return cn.read_dataset(
        people=pd.DataFrame(
            {
                "person_id": ["p1", "p2", "p3", "p4"],
                "name": ["Bob Lee", "Robert Lee", "Ann Cho", "Rob Lee"],
                "organisation_id": ["o1", "o1", "o1", "o1"],
                "role": [None, "nurse", None, None],
            }
        ),
        attendance=pd.DataFrame(
            {"event_id": ["e1", "e2", "e1", "e3"], "person_id": ["p1", "p2", "p3", "p4"]}
        ),
        contacts=pd.DataFrame({"source": ["p1", "p3"], "target": ["p2", "p4"]}),
    )


def test_apply_matches_merges_chains_with_an_audit_trail(data):
    pairs = cn.match_people(data.people)
    assert set(_pairs(pairs)) == {("p1", "p2"), ("p1", "p4"), ("p2", "p4")}
    merged = cn.apply_matches(data, pairs)
    assert merged.people.index.tolist() == ["p1", "p3"]
    assert merged.people.loc["p1", "role"] == "nurse"  # blank filled from the merged row
    assert merged.attendance["person_id"].tolist() == ["p1", "p1", "p3", "p1"]
    # p1 -> p2 became a self-contact and is dropped (and reported); p3 -> p4 is p3 -> p1
    assert merged.contacts[["source", "target"]].values.tolist() == [["p3", "p1"]]
    audit = merged.load_report[merged.load_report["action"] == "merged"]
    assert audit["value"].tolist() == ["p2", "p4"]
    assert "merged into 'p1'" in audit["reason"].iloc[0]
    assert "score" in audit["reason"].iloc[0]
    counts = merged.counts
    assert (counts["read"] == counts["kept"] + counts["dropped"]).all()
    assert counts.loc["people", "dropped"] == 2
    assert data.people.index.tolist() == ["p1", "p2", "p3", "p4"]  # input untouched


def test_apply_matches_honours_an_accept_column_and_checks_ids(data):
    pairs = cn.match_people(data.people)
    pairs["accept"] = [p == ("p1", "p2") for p in _pairs(pairs)]
    merged = cn.apply_matches(data, pairs)
    assert merged.people.index.tolist() == ["p1", "p3", "p4"]
    with pytest.raises(ValueError, match=r"not in data\.people"):
        cn.apply_matches(data, pd.DataFrame({"left_id": ["p1"], "right_id": ["zz"]}))
    with pytest.raises(ValueError, match="left_id"):
        cn.apply_matches(data, pd.DataFrame({"a": [1]}))
    assert cn.apply_matches(data, pairs.iloc[:0]) is data
