"""Matching people across sheets and waves (matching.py)."""

from __future__ import annotations

import importlib.util
import math
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rapidfuzz.distance import OSA

import connectnet as cn
from connectnet.matching import (
    _DOMINANCE,
    _FIELD_LEVELS,
    _GIVEN_BITS,
    _ORG_LEVELS,
    _REASON_WORDS,
    _SURNAME_BITS,
    _SWAP_PENALTY,
    PAIR_COLUMNS,
    _bits,
    _field_key,
    _Name,
    _name_tokens,
    _nickname_key,
    _score,
    _text,
)


def _benchmark(name: str):
    """A module of benchmarks/ (bench_matching's seeded sheets, the national generator)."""
    folder = str(Path(__file__).resolve().parents[1] / "benchmarks")
    spec = importlib.util.spec_from_file_location(name, f"{folder}/{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up
    sys.path.insert(0, folder)  # for their name pools, benchmarks/_names.py
    try:
        spec.loader.exec_module(module)
    finally:
        sys.path.remove(folder)
    return module


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


# small pools, so that one organisation often holds two spellings of one name
_GIVEN = ["Jane", "J.", "John", "Jon", "Robert", "Bob", "Alex", "Chris", "Siân", "Sian", "Mo"]
_SURNAMES = ["Smith", "Smyth", "Smith-Jones", "Jones Smith", "O'Connor", "OConnor", "Lee", "Ng"]


@st.composite
def _written_name(draw) -> str:
    """A name as a sign-in sheet may write it: titles, initials, nicknames, accents,
    "Surname, Given", swapped order, double-barrelled, typos, capitals, one word, blank."""
    given, surname = draw(st.sampled_from(_GIVEN)), draw(st.sampled_from(_SURNAMES))
    form = draw(st.sampled_from(["plain", "title", "comma", "swapped", "one", "blank", "caps"]))
    if form == "title":
        return f"{draw(st.sampled_from(['Dr', 'Prof.', 'Ms', 'Sir Dr']))} {given} {surname}"
    if form == "comma":
        return f"{surname}, {given}"
    if form == "swapped":
        return f"{surname} {given}"
    if form == "one":
        return draw(st.sampled_from([given, surname]))
    if form == "blank":
        return draw(st.sampled_from(["", "  ", "-"]))
    if form == "caps":
        return f"  {given.upper()}  {surname.lower()} "
    return f"{given} {surname}"


_ORGS = st.sampled_from(["o1", "O1 ", "", None])
_EMAILS = st.sampled_from(["a@x", "A@X", "b@y", "", None])


def _random_people(draw, prefix: str) -> pd.DataFrame:
    rows = draw(st.lists(st.tuples(_written_name(), _ORGS, _EMAILS), min_size=1, max_size=25))
    return pd.DataFrame(
        {
            "name": [r[0] for r in rows],
            "organisation_id": [r[1] for r in rows],
            "email": [r[2] for r in rows],
        },
        index=pd.Index([f"{prefix}{k}" for k in range(len(rows))], name="person_id"),
        dtype=object,
    )


@settings(deadline=None, max_examples=150)
@given(
    st.data(),
    st.sampled_from(
        [("name", "organisation_id"), ("name",), ("name", "organisation_id", "email")]
    ),
    st.sampled_from([0.0, 0.2, 0.5, 0.9]),
)
def test_vectorised_matching_equals_the_pair_by_pair_reference(data, on, threshold):
    left = _random_people(data.draw, "a")
    right = _random_people(data.draw, "b") if data.draw(st.booleans()) else None
    got = cn.match_people(left, right, on=on, threshold=threshold)
    want = _reference_match_people(left, right, on=on, threshold=threshold)
    pd.testing.assert_frame_equal(got, want)


@pytest.mark.parametrize("same", [True, False])
def test_vectorised_matching_equals_the_reference_on_the_benchmark_sheets(same):
    # the seeded sheets of benchmarks/bench_matching.py (20 organisations, ~500 people)
    left, right, _ = _benchmark("bench_matching").make_sheets(20, 25, seed=12)
    args = (pd.concat([left, right]), None) if same else (left, right)
    for threshold in (0.5, 0.0):
        got = cn.match_people(*args, threshold=threshold)
        pd.testing.assert_frame_equal(got, _reference_match_people(*args, threshold=threshold))
        assert len(got) > 200  # the sheets share about 350 people


def test_national_names_are_seeded_and_hold_planted_near_duplicates():
    national = _benchmark("_national")
    spec = national.NationalSpec(n_people=4000)
    people, _ = national.people_and_organisations(spec)
    again, _ = national.people_and_organisations(spec)
    other, _ = national.people_and_organisations(spec.with_seed(1))
    pd.testing.assert_frame_equal(people, again)
    assert (people["name"] != other["name"]).mean() > 0.9
    # names change nothing else: ids, organisations, sectors as from the spec alone
    assert people["person_id"].tolist() == [f"P{k:04d}" for k in range(4000)]
    assert people["name"].nunique() > 2000
    # ~1 % planted variants of a colleague's name (40), plus colleagues sharing a name by
    # chance: flagged pairs are a few per cent of people, not every pair of colleagues
    pairs = cn.match_people(people.set_index("person_id"))
    assert 30 <= len(pairs) <= 200
    assert (pairs["left_organisation"] == pairs["right_organisation"]).all()


# --- the scalar implementation match_people replaced, kept as the reference ----------
# (one pair at a time in Python, as before the vectorised version; results must be
# identical: same pairs, scores, reasons and order)


def _ref_one_edit(a: str, b: str) -> bool:
    return max(len(a), len(b)) >= 4 and a[0] == b[0] and OSA.distance(a, b) <= 1


def _ref_surname_level(a: _Name, b: _Name) -> str:
    if not a.surnames or not b.surnames:
        return "different"
    if a.surnames[-1] == b.surnames[-1] or "".join(a.surnames) == "".join(b.surnames):
        return "exact"
    if set(a.surnames) & set(b.surnames):
        return "hyphenated"
    if _ref_one_edit(a.surnames[-1], b.surnames[-1]):
        return "typo"
    return "different"


def _ref_given_level(a: _Name, b: _Name) -> str:
    x, y = a.given, b.given
    if not x or not y:
        return "missing"
    if x == y:
        return "exact"
    if _nickname_key(x) & _nickname_key(y):
        return "nickname"
    if (len(x) == 1 or len(y) == 1) and x[0] == y[0]:
        return "initial"
    if _ref_one_edit(x, y):
        return "typo"
    return "different"


def _ref_name_weight(a: _Name, b: _Name) -> tuple[float, tuple[str, ...]]:
    best: tuple[float, tuple[str, ...]] = (-math.inf, ())
    readings: list[tuple[_Name, float, tuple[str, ...]]] = [(b, 0.0, ())]
    for other, penalty, extra in readings:
        surname, given = _ref_surname_level(a, other), _ref_given_level(a, other)
        weight = _SURNAME_BITS[surname] + _GIVEN_BITS[given] - penalty
        if weight > best[0]:
            words = tuple(
                _REASON_WORDS[(field, level)]
                for field, level in (("surname", surname), ("given", given))
                if (field, level) in _REASON_WORDS
            )
            best = (weight, extra + words)
        flipped = b.swapped()
        if not penalty and surname != "exact" and flipped is not None:
            readings.append((flipped, _SWAP_PENALTY, ("given name and surname swapped",)))
    return best


def _ref_blocking_keys(name: _Name) -> list[tuple[str, ...]]:
    if not name.surnames:
        return []
    if not name.given:
        return [("surname", name.surnames[-1], "")]
    given = min(_nickname_key(name.given))
    first, last = sorted((name.given, name.surnames[-1]))
    keys: list[tuple[str, ...]] = [("words", first, last)]
    for surname in dict.fromkeys(name.surnames):
        keys += [("surname", surname, given[0]), ("given", given, surname[0])]
    return keys


def _ref_side(people: pd.DataFrame, on: tuple[str, ...]) -> dict:
    names = [_text(v) for v in people["name"]]
    parsed = [_Name.parse(_name_tokens(n)) for n in names]
    orgs = (
        [_text(v) for v in people["organisation_id"]]
        if "organisation_id" in people.columns
        else [""] * len(people)
    )
    by_org = "organisation_id" in on
    extra = [c for c in on if c not in ("name", "organisation_id")]
    return {
        "ids": list(people.index),
        "names": names,
        "parsed": parsed,
        "has_words": [bool(p.surnames) for p in parsed],
        "blocks": [_field_key(o) for o in orgs] if by_org else [""] * len(people),
        "fields": {c: [_field_key(v) for v in people[c]] for c in extra},
        "organisations": orgs,
        "blocking": [_ref_blocking_keys(p) for p in parsed],
    }


def _ref_candidates(left: dict, right: dict, same: bool):
    index: dict[tuple[str, ...], list[int]] = {}
    for j, (block, blocking) in enumerate(zip(right["blocks"], right["blocking"], strict=True)):
        for key in blocking:
            index.setdefault((block, *key), []).append(j)
    for field, values in right["fields"].items():
        for j, (block, value) in enumerate(zip(right["blocks"], values, strict=True)):
            if value:
                index.setdefault((block, "field", field, value), []).append(j)
    seen: set[tuple[int, int]] = set()
    for i, (block, blocking) in enumerate(zip(left["blocks"], left["blocking"], strict=True)):
        keys = [(block, *key) for key in blocking]
        keys += [
            (block, "field", field, values[i])
            for field, values in left["fields"].items()
            if values[i]
        ]
        for key in keys:
            for j in index.get(key, ()):
                if (same and j <= i) or (i, j) in seen:
                    continue
                seen.add((i, j))
                yield i, j


def _ref_pair_weight(left: dict, i: int, right: dict, j: int, by_org: bool):
    weight, words = _ref_name_weight(left["parsed"][i], right["parsed"][j])
    reasons = list(words)
    if by_org:
        a, b = left["blocks"][i], right["blocks"][j]
        level = "missing" if not a or not b else ("same" if a == b else "different")
        weight += _bits(_ORG_LEVELS, level)
        if level == "same":
            reasons.append("same organisation")
    for field, values in left["fields"].items():
        a, b = values[i], right["fields"][field][j]
        level = "missing" if not a or not b else ("same" if a == b else "different")
        weight += _bits(_FIELD_LEVELS, level)
        if level != "missing":
            reasons.append(f"{'same' if level == 'same' else 'different'} {field}")
    return weight, "; ".join(dict.fromkeys(reasons))


def _reference_match_people(left, right=None, *, on=("name", "organisation_id"), threshold=0.5):
    on = tuple(on)
    same = right is None
    a = _ref_side(left, on)
    b = a if right is None else _ref_side(right, on)
    by_org = "organisation_id" in on
    scored = [
        (i, j, *_ref_pair_weight(a, i, b, j, by_org))
        for i, j in _ref_candidates(a, b, same)
        if a["has_words"][i] and b["has_words"][j]
    ]
    if not same:
        best_left: dict[int, float] = {}
        best_right: dict[int, float] = {}
        for i, j, weight, _ in scored:
            best_left[i] = max(best_left.get(i, -math.inf), weight)
            best_right[j] = max(best_right.get(j, -math.inf), weight)
        scored = [
            p
            for p in scored
            if p[2] >= best_left[p[0]] - _DOMINANCE and p[2] >= best_right[p[1]] - _DOMINANCE
        ]
    rows = [
        (
            a["ids"][i],
            b["ids"][j],
            a["names"][i],
            b["names"][j],
            a["organisations"][i] or None,
            b["organisations"][j] or None,
            _score(weight),
            reasons,
        )
        for i, j, weight, reasons in scored
        if _score(weight) >= threshold
    ]
    out = pd.DataFrame(rows, columns=PAIR_COLUMNS)
    out = out.astype({c: object for c in PAIR_COLUMNS if c != "score"})
    out["score"] = out["score"].astype("float64")
    order = np.lexsort((out.index.to_numpy(), -out["score"].to_numpy()))
    return out.iloc[order].reset_index(drop=True)


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
