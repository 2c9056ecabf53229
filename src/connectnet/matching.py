"""Matching people across sheets and waves: candidate pairs for review, merges with an audit.

Sign-in sheets spell one person many ways (``Dr J. Smith``, ``Jane Smyth``, ``Smith, Jane``).
:func:`match_people` lists pairs of people-table rows that may be one person, with a score
and the reasons; :func:`apply_matches` merges the pairs a reviewer accepted and records each
merge in the load report. Nothing is ever merged without being asked.

The score is a Fellegi–Sunter match probability. Each pair of names is compared field by
field (surname, given name, organisation, and any extra field in ``on``); each comparison
falls in an *agreement level* (exact, nickname, initial, one-letter typo, ...) that has a
probability ``m`` among true matches and ``u`` among non-matches. The match weight is
``W = Σ log2(m / u)`` and the score is the posterior probability
``1 / (1 + (1 - λ) / λ · 2^-W)`` for a prior match rate ``λ`` among the candidate pairs.
The ``m``/``u`` values are fixed (set from how sign-in sheets go wrong, and checked on the
seeded benchmark in ``benchmarks/bench_matching.py``), as in splink's "manual" models,
rather than estimated by EM, so scores do not change with the size of the table.
"""

from __future__ import annotations

import dataclasses
import math
import re
import unicodedata
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from connectnet.data import Dataset

__all__ = ["DEFAULT_MATCH_THRESHOLD", "apply_matches", "match_people"]

#: Score (posterior match probability) at or above which :func:`match_people` lists a pair.
DEFAULT_MATCH_THRESHOLD = 0.5

PAIR_COLUMNS = [
    "left_id",
    "right_id",
    "left_name",
    "right_name",
    "left_organisation",
    "right_organisation",
    "score",
    "reasons",
]

_TITLES = frozenset(
    [
        "dr",
        "mr",
        "mrs",
        "ms",
        "miss",
        "mx",
        "prof",
        "professor",
        "sir",
        "dame",
        "rev",
        "revd",
        "cllr",
        "lord",
        "lady",
    ]
)
_APOSTROPHES = re.compile(r"['\u2018\u2019`\u00b4]")

# Common English given-name nicknames -> one canonical form (both directions are covered
# because every spelling of a group maps to the group's first name).
_NICKNAME_GROUPS = [
    ["robert", "bob", "bobby", "rob", "robbie", "bert"],
    ["elizabeth", "liz", "lizzie", "beth", "betty", "eliza", "libby", "lisa", "betsy"],
    ["william", "bill", "billy", "will", "willie", "liam"],
    ["richard", "rick", "ricky", "dick", "rich", "richie"],
    ["margaret", "maggie", "meg", "peggy", "marge", "maisie"],
    ["katherine", "catherine", "kate", "katie", "kathy", "cathy", "kath", "cath", "kat"],
    ["james", "jim", "jimmy", "jamie"],
    ["john", "johnny", "jack"],
    ["jonathan", "jon", "jonny"],
    ["michael", "mike", "mick", "mickey"],
    ["thomas", "tom", "tommy"],
    ["anthony", "tony"],
    ["andrew", "andy", "drew"],
    ["alexander", "alex", "sandy", "xander"],
    ["alexandra", "alex", "lexi", "sandra"],
    ["christopher", "chris", "kit"],
    ["christine", "chris", "chrissie", "tina"],
    ["daniel", "dan", "danny"],
    ["david", "dave", "davy"],
    ["edward", "ed", "eddie", "ted", "ned"],
    ["frances", "fran", "frankie"],
    ["francis", "frank"],
    ["gregory", "greg"],
    ["jennifer", "jen", "jenny"],
    ["joseph", "joe", "joey"],
    ["matthew", "matt"],
    ["nicholas", "nick", "nicky"],
    ["patricia", "pat", "patty", "trish"],
    ["patrick", "pat", "paddy"],
    ["peter", "pete"],
    ["rebecca", "becky", "becca"],
    ["samuel", "sam", "sammy"],
    ["samantha", "sam", "sammie"],
    ["stephen", "steven", "steve"],
    ["susan", "sue", "susie"],
    ["timothy", "tim"],
    ["victoria", "vicky", "tori"],
    ["deborah", "debbie", "deb"],
    ["philip", "phillip", "phil"],
    ["benjamin", "ben"],
    ["charles", "charlie", "chuck"],
    ["charlotte", "lottie", "charlie"],
    ["abigail", "abby", "abi"],
    ["gerald", "gerry"],
    ["jacqueline", "jackie"],
    ["kenneth", "ken", "kenny"],
    ["lawrence", "laurence", "larry"],
    ["raymond", "ray"],
    ["ronald", "ron", "ronnie"],
    ["donald", "don"],
    ["helen", "nell", "ellie"],
    ["eleanor", "ellie", "nora", "nell"],
    ["josephine", "jo", "josie"],
    ["joanne", "jo", "joanna"],
    ["nathaniel", "nathan", "nat"],
    ["oliver", "olly", "ollie"],
    ["penelope", "penny"],
    ["angela", "angie"],
    ["amanda", "mandy"],
    ["gillian", "gill", "jill"],
    ["teresa", "theresa", "tess", "tessa"],
    ["terence", "terry"],
    ["vincent", "vince"],
    ["zachary", "zach", "zak"],
    ["siobhan", "shiv"],
    ["mohammed", "mohammad", "muhammad", "mohamed", "mo"],
]
_NICKNAMES: dict[str, frozenset[str]] = {}
for _group in _NICKNAME_GROUPS:
    for _spelling in _group:
        _NICKNAMES[_spelling] = _NICKNAMES.get(_spelling, frozenset()) | {_group[0]}

# Fellegi–Sunter agreement levels: (m, u) = P(level | match), P(level | non-match).
_SURNAME_LEVELS = {
    "exact": (0.88, 0.005),
    "hyphenated": (0.04, 0.001),
    "typo": (0.06, 0.001),
    "different": (0.02, 0.993),
}
_GIVEN_LEVELS = {
    "exact": (0.80, 0.02),
    "nickname": (0.06, 0.002),
    "initial": (0.07, 0.03),
    "typo": (0.04, 0.004),
    "missing": (0.02, 0.02),
    "different": (0.01, 0.924),
}
_ORG_LEVELS = {"same": (0.95, 0.05), "different": (0.05, 0.95), "missing": (1.0, 1.0)}
_FIELD_LEVELS = {"same": (0.9, 0.01), "different": (0.1, 0.99), "missing": (1.0, 1.0)}
# Prior match rate among candidate pairs: a score of 0.5 needs W ≈ 8.5 bits, e.g. the same
# surname and a compatible initial within one organisation.
_PRIOR = 2.0**-8.5 / (1 + 2.0**-8.5)
_CANDIDATE_CUTOFF = 55  # rapidfuzz token-set ratio (0-100) for a pair to be scored at all
_BLOCK_ROWS = 2000  # rows per rapidfuzz.cdist call, to bound memory
_DOMINANCE = 1.0  # bits: across two tables, pairs this far below a person's best are dropped
_SWAP_PENALTY = 1.0  # bits: a swapped reading is a little less likely than the written one

_REASON_WORDS = {
    ("surname", "exact"): "same surname",
    ("surname", "hyphenated"): "one surname is part of the other (double-barrelled or middle)",
    ("surname", "typo"): "surnames differ by one letter",
    ("given", "exact"): "same given name",
    ("given", "nickname"): "nickname of the same given name",
    ("given", "initial"): "initial matches the given name",
    ("given", "typo"): "given names differ by one letter",
    ("given", "missing"): "one name has no given name",
}


def _name_tokens(name: str) -> list[str]:
    """Name words ignoring case, accents, apostrophes, other punctuation and leading titles.

    ``"Dr. Siân O'Connor"`` -> ``["sian", "oconnor"]``; ``"Smith, Jane"`` ->
    ``["jane", "smith"]`` (a comma means "surname, given names"). Titles are removed only at
    the start, so a surname such as Lord or Miss is kept.
    """
    text = unicodedata.normalize("NFKD", str(name))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    text = _APOSTROPHES.sub("", text)
    if text.count(",") == 1:
        surname, given = text.split(",")
        text = f"{given} {surname}"
    tokens = re.sub(r"[\W_]+", " ", text).split()
    while len(tokens) > 1 and tokens[0] in _TITLES:
        tokens.pop(0)
    return tokens


def _compatible_given(a: str, b: str) -> bool:
    """Given names that may be one person's: equal, or one of them only an initial."""
    return a == b or ((len(a) == 1 or len(b) == 1) and a[0] == b[0])


def _one_edit(a: str, b: str) -> bool:
    """Equal up to one insertion, deletion, substitution or swap of neighbours (OSA ≤ 1),
    for words of at least four letters (shorter words differ too easily)."""
    from rapidfuzz.distance import OSA

    return max(len(a), len(b)) >= 4 and a[0] == b[0] and OSA.distance(a, b) <= 1


def _nickname_key(token: str) -> frozenset[str]:
    return _NICKNAMES.get(token, frozenset({token}))


@dataclass(frozen=True)
class _Name:
    given: str
    surnames: tuple[str, ...]

    @classmethod
    def parse(cls, tokens: Sequence[str]) -> _Name:
        if len(tokens) == 0:
            return cls("", ())
        if len(tokens) == 1:
            return cls("", (tokens[0],))
        return cls(tokens[0], tuple(tokens[1:]))

    def swapped(self) -> _Name | None:
        if not self.given:
            return None
        return _Name(self.surnames[-1], (*self.surnames[:-1], self.given))


def _surname_level(a: _Name, b: _Name) -> str:
    if not a.surnames or not b.surnames:
        return "different"
    if a.surnames[-1] == b.surnames[-1] or "".join(a.surnames) == "".join(b.surnames):
        return "exact"
    if set(a.surnames) & set(b.surnames):
        return "hyphenated"
    if _one_edit(a.surnames[-1], b.surnames[-1]):
        return "typo"
    return "different"


def _given_level(a: _Name, b: _Name) -> str:
    x, y = a.given, b.given
    if not x or not y:
        return "missing"
    if x == y:
        return "exact"
    if _nickname_key(x) & _nickname_key(y):
        return "nickname"
    if _compatible_given(x, y):
        return "initial"
    if _one_edit(x, y):
        return "typo"
    return "different"


def _bits(levels: dict[str, tuple[float, float]], level: str) -> float:
    m, u = levels[level]
    return math.log2(m / u)


def _name_weight(a: _Name, b: _Name) -> tuple[float, list[str]]:
    """Best match weight of two names (as written, or with one of them swapped)."""
    best: tuple[float, list[str]] = (-math.inf, [])
    readings: list[tuple[_Name, float, list[str]]] = [(b, 0.0, [])]
    flipped = b.swapped()
    if flipped is not None:
        readings.append((flipped, _SWAP_PENALTY, ["given name and surname swapped"]))
    for other, penalty, extra in readings:
        surname, given = _surname_level(a, other), _given_level(a, other)
        weight = _bits(_SURNAME_LEVELS, surname) + _bits(_GIVEN_LEVELS, given) - penalty
        if weight > best[0]:
            words = [
                _REASON_WORDS[(field, level)]
                for field, level in (("surname", surname), ("given", given))
                if (field, level) in _REASON_WORDS
            ]
            best = (weight, extra + words)
    return best


def _score(weight: float) -> float:
    """Posterior match probability for match weight ``weight`` (bits)."""
    odds = _PRIOR / (1 - _PRIOR) * 2.0**weight
    return float(odds / (1 + odds)) if math.isfinite(odds) else 1.0


def _text(value: object) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return ""
    return str(value).strip()


def _field_key(value: object) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", _text(value))).casefold()


@dataclass
class _Side:
    """One people table prepared for matching."""

    ids: list[Hashable]
    names: list[str]
    parsed: list[_Name]
    keys: list[str]  # sorted canonical tokens: what rapidfuzz compares
    blocks: list[str]
    fields: dict[str, list[str]]
    organisations: list[str]


def _prepare(people: pd.DataFrame, on: tuple[str, ...], label: str) -> _Side:
    if not isinstance(people, pd.DataFrame):
        msg = f"`{label}` must be a people DataFrame indexed by person id, not {type(people)}."
        raise TypeError(msg)
    missing = [c for c in on if c not in people.columns]
    if missing:
        msg = (
            f"`{label}` has no column(s) {missing} named in `on`; its columns are "
            f"{list(map(str, people.columns))}. Pass `on=` with columns it has."
        )
        raise ValueError(msg)
    names = [_text(v) for v in people["name"]]
    tokens = [_name_tokens(n) for n in names]
    parsed = [_Name.parse(t) for t in tokens]
    keys = [" ".join(sorted(min(_nickname_key(t)) for t in tok)) for tok in tokens]
    org_column = "organisation_id" in on
    organisations = (
        [_text(v) for v in people["organisation_id"]]
        if "organisation_id" in people.columns
        else [""] * len(people)
    )
    blocks = [_field_key(o) for o in organisations] if org_column else [""] * len(people)
    extra = [c for c in on if c not in ("name", "organisation_id")]
    fields = {c: [_field_key(v) for v in people[c]] for c in extra}
    return _Side(list(people.index), names, parsed, keys, blocks, fields, organisations)


def _candidates(left: _Side, right: _Side, same: bool) -> Iterable[tuple[int, int]]:
    """Pairs (i, j) in one block whose sorted name keys are close (rapidfuzz token-sort
    ratio ≥ 55), or that agree exactly on an extra field; i < j when matching one table."""
    from rapidfuzz import fuzz, process

    by_block_right: dict[str, list[int]] = {}
    for j, block in enumerate(right.blocks):
        by_block_right.setdefault(block, []).append(j)
    by_block_left: dict[str, list[int]] = {}
    for i, block in enumerate(left.blocks):
        by_block_left.setdefault(block, []).append(i)
    for block, rows in by_block_left.items():
        cols = by_block_right.get(block)
        if not cols:
            continue
        col_keys = [right.keys[j] for j in cols]
        for start in range(0, len(rows), _BLOCK_ROWS):
            chunk = rows[start : start + _BLOCK_ROWS]
            scores = process.cdist(
                [left.keys[i] for i in chunk],
                col_keys,
                scorer=fuzz.token_set_ratio,
                score_cutoff=_CANDIDATE_CUTOFF,
                dtype=np.uint8,
                workers=1,
            )
            close = scores > 0
            for field, values in left.fields.items():
                theirs = np.array([right.fields[field][j] for j in cols], dtype=object)
                for r, i in enumerate(chunk):
                    if values[i]:
                        close[r] |= theirs == values[i]
            for r, c in zip(*np.nonzero(close), strict=True):
                i, j = chunk[int(r)], cols[int(c)]
                if same and not i < j:
                    continue
                yield i, j


def _pair_weight(left: _Side, i: int, right: _Side, j: int, by_org: bool) -> tuple[float, str]:
    weight, reasons = _name_weight(left.parsed[i], right.parsed[j])
    if by_org:
        a, b = _field_key(left.organisations[i]), _field_key(right.organisations[j])
        level = "missing" if not a or not b else ("same" if a == b else "different")
        weight += _bits(_ORG_LEVELS, level)
        if level == "same":
            reasons.append("same organisation")
    for field, values in left.fields.items():
        a, b = values[i], right.fields[field][j]
        level = "missing" if not a or not b else ("same" if a == b else "different")
        weight += _bits(_FIELD_LEVELS, level)
        if level != "missing":
            reasons.append(f"{'same' if level == 'same' else 'different'} {field}")
    return weight, "; ".join(dict.fromkeys(reasons))


def _best_for_each(
    scored: list[tuple[int, int, float, str]],
) -> list[tuple[int, int, float, str]]:
    """Across two tables each person is one person on the other sheet: drop a pair whose
    weight is more than ``_DOMINANCE`` bits below the best pair of either of its people
    (``Jane Smith`` on sheet 2 goes with ``Jane Smith``, not also with ``Jane Smyth``)."""
    best_left: dict[int, float] = {}
    best_right: dict[int, float] = {}
    for i, j, weight, _ in scored:
        best_left[i] = max(best_left.get(i, -math.inf), weight)
        best_right[j] = max(best_right.get(j, -math.inf), weight)
    return [
        pair
        for pair in scored
        if pair[2] >= best_left[pair[0]] - _DOMINANCE
        and pair[2] >= best_right[pair[1]] - _DOMINANCE
    ]


def match_people(
    left: pd.DataFrame,
    right: pd.DataFrame | None = None,
    *,
    on: Sequence[str] = ("name", "organisation_id"),
    threshold: float | None = None,
) -> pd.DataFrame:
    """Candidate pairs of people who may be one person, for review.

    Parameters
    ----------
    left
        A people table indexed by person id with a ``name`` column (e.g. ``data.people``).
    right
        Another people table (another sheet or wave); ``None`` matches `left` against itself
        (each pair once, never a row with itself).
    on
        Columns compared. ``"name"`` is always compared (titles, initials, nicknames such as
        Bob/Robert and Liz/Elizabeth, accents, hyphenated, "Surname, Given" and swapped
        names, one-letter typos such as Smith/Smyth). ``"organisation_id"`` means people
        are only compared within one organisation (matched as text, ignoring case and
        spacing); any other column (e.g. ``"email"``) is compared exactly and adds to or
        takes from the score.
    threshold
        Lowest score listed, between 0 and 1 (default ``DEFAULT_MATCH_THRESHOLD`` = 0.5).

    Returns
    -------
    pandas.DataFrame
        One row per candidate pair, best first: ``left_id``, ``right_id``, ``left_name``,
        ``right_name``, ``left_organisation``, ``right_organisation``, ``score`` (the
        Fellegi–Sunter posterior match probability, a float in [0, 1]) and ``reasons``
        (which parts agreed). Pass the rows you accept to :func:`apply_matches`.

    Raises
    ------
    TypeError
        If a table is not a DataFrame.
    ValueError
        If a column in `on` is missing, `on` lacks ``"name"`` or `threshold` is not in
        [0, 1].

    Examples
    --------
    >>> import pandas as pd
    >>> people = pd.DataFrame(
    ...     {"name": ["Dr Robert Smith", "Bob Smith", "Jane Smyth", "Jane Smith", "Ann Lee"],
    ...      "organisation_id": ["hmp-a", "hmp-a", "nhs-b", "nhs-b", "nhs-b"]},
    ...     index=pd.Index(["p1", "p2", "p3", "p4", "p5"], name="person_id"))
    >>> pairs = match_people(people)
    >>> pairs[["left_id", "right_id"]].values.tolist()
    [['p1', 'p2'], ['p3', 'p4']]
    >>> pairs["reasons"].iloc[0]
    'same surname; nickname of the same given name; same organisation'

    Notes
    -----
    Pairs are first found cheaply (within one organisation when ``organisation_id`` is in
    `on`, rapidfuzz's token-sort ratio of the normalised names at least 55), then scored:
    ``W = Σ log2(m/u)`` over the agreement levels of surname, given name, organisation and
    the other fields, and ``score = 1 / (1 + (1 - λ)/λ · 2^-W)``. Across two tables a
    person is one person on the other sheet, so a pair more than 1 bit below the best pair of
    either of its people is dropped (``Jane Smith`` goes with ``Jane Smith``, not also with
    her colleague ``Jane Smyth``); within one table every pair is kept. The levels and their
    ``m``/``u`` values are in ``docs/data-format.md``; precision and recall of the default
    threshold are measured by ``benchmarks/bench_matching.py``.

    References
    ----------
    Fellegi, I. P. and Sunter, A. B. (1969). A theory for record linkage. *Journal of the
    American Statistical Association*, 64(328), 1183-1210.
    Linacre, R. et al. (2022). Splink: free software for probabilistic record linkage at
    scale. *International Journal of Population Data Science*, 7(3).
    """
    on = tuple(on)
    if "name" not in on:
        msg = f"`on` must include 'name', got {on!r}."
        raise ValueError(msg)
    cutoff = DEFAULT_MATCH_THRESHOLD if threshold is None else float(threshold)
    if not 0 <= cutoff <= 1:
        msg = f"`threshold` must be between 0 and 1, got {threshold!r}."
        raise ValueError(msg)
    same = right is None
    a = _prepare(left, on, "left")
    b = a if right is None else _prepare(right, on, "right")
    by_org = "organisation_id" in on
    scored = [
        (i, j, *_pair_weight(a, i, b, j, by_org))
        for i, j in _candidates(a, b, same)
        if a.keys[i] and b.keys[j]
    ]
    if not same:
        scored = _best_for_each(scored)
    rows = [
        (
            a.ids[i],
            b.ids[j],
            a.names[i],
            b.names[j],
            a.organisations[i] or None,
            b.organisations[j] or None,
            _score(weight),
            reasons,
        )
        for i, j, weight, reasons in scored
        if _score(weight) >= cutoff
    ]
    out = pd.DataFrame(rows, columns=PAIR_COLUMNS)
    out = out.astype({c: object for c in PAIR_COLUMNS if c != "score"})
    out["score"] = out["score"].astype("float64")
    order = np.lexsort((out.index.to_numpy(), -out["score"].to_numpy()))
    return out.iloc[order].reset_index(drop=True)


def _representatives(pairs: pd.DataFrame, known: pd.Index) -> dict[Hashable, Hashable]:
    """Union-find over accepted pairs: each merged id -> the id it is merged into (the
    earliest-listed id of its group in the people table)."""
    parent: dict[Hashable, Hashable] = {}

    def find(x: Hashable) -> Hashable:
        while parent.get(x, x) != x:
            x = parent[x]
        return x

    position = {pid: k for k, pid in enumerate(known)}
    for a, b in zip(pairs["left_id"], pairs["right_id"], strict=True):
        ra, rb = find(a), find(b)
        if ra == rb:
            continue
        keep, drop = (ra, rb) if position[ra] <= position[rb] else (rb, ra)
        parent[drop] = keep
    return {pid: find(pid) for pid in parent}


def apply_matches(data: Dataset, pairs: pd.DataFrame) -> Dataset:
    """Merge accepted pairs of people into one person each, with an audit trail.

    Parameters
    ----------
    data
        The :class:`connectnet.Dataset` the pairs were found in. Never modified.
    pairs
        Accepted pairs with columns ``left_id`` and ``right_id`` (e.g. rows of
        :func:`match_people`'s result you checked). An ``accept`` column, when present,
        keeps only the rows where it is true. Chains (a–b, b–c) merge into one person.

    Returns
    -------
    Dataset
        A new Dataset: each group of matched people is kept under the id listed first in
        ``data.people``; the others' attendance, contacts and respondent rows are given that
        id, their people rows removed (blank attributes of the kept person are filled from
        them), and each merge is in the load report (action ``merged``, with the score and
        reasons when given). ``counts`` records merged people as dropped, so
        ``read = kept + dropped`` still holds.

    Raises
    ------
    ValueError
        If `pairs` lacks ``left_id``/``right_id`` or names ids not in ``data.people``.

    Examples
    --------
    >>> import pandas as pd
    >>> import connectnet as cn
    >>> data = cn.read_dataset(
    ...     people=pd.DataFrame({"person_id": ["p1", "p2"], "name": ["Bob Lee", "Robert Lee"],
    ...                          "organisation_id": ["o1", "o1"]}),
    ...     attendance=pd.DataFrame({"event_id": ["e1", "e2"], "person_id": ["p1", "p2"]}),
    ... )
    >>> merged = cn.apply_matches(data, cn.match_people(data.people))
    >>> merged.people.index.tolist(), merged.attendance["person_id"].tolist()
    (['p1'], ['p1', 'p1'])
    >>> merged.load_report["action"].iloc[-1]
    'merged'
    """
    from connectnet.data import REPORT_COLUMNS

    missing = [c for c in ("left_id", "right_id") if c not in pairs.columns]
    if missing:
        msg = f"`pairs` needs columns 'left_id' and 'right_id'; missing {missing}."
        raise ValueError(msg)
    accepted = pairs
    if "accept" in pairs.columns:
        accepted = pairs[pairs["accept"].fillna(False).astype(bool)]
    people = data.people
    unknown = sorted(
        {str(p) for p in pd.concat([accepted["left_id"], accepted["right_id"]])}
        - set(map(str, people.index))
    )
    if unknown:
        msg = f"`pairs` names ids not in data.people: {unknown[:10]}. Match on this Dataset."
        raise ValueError(msg)
    into = _representatives(accepted, people.index)
    if not into:
        return data
    details: dict[Hashable, tuple[Hashable, object, object]] = {}
    for row in accepted.itertuples(index=False):
        for a, b in ((row.left_id, row.right_id), (row.right_id, row.left_id)):
            details.setdefault(a, (b, getattr(row, "score", None), getattr(row, "reasons", "")))
    kept = people.drop(index=list(into))
    for old, new in into.items():
        blank = kept.loc[new].isna()
        fill = people.loc[old][blank.to_numpy()]
        if len(fill.dropna()):
            kept.loc[new, fill.dropna().index] = fill.dropna().to_numpy()
    changes: dict[str, object] = {"people": kept}
    for table, columns in (
        ("attendance", ("person_id",)),
        ("contacts", ("source", "target")),
        ("respondents", ("person_id",)),
    ):
        frame = getattr(data, table).copy()
        for column in columns:
            if column in frame:
                frame[column] = frame[column].map(lambda p: into.get(p, p)).astype(object)
        changes[table] = frame
    contacts = changes["contacts"]
    assert isinstance(contacts, pd.DataFrame)
    loops = contacts["source"] == contacts["target"]
    entries = []
    for old, new in into.items():
        other, score, reasons = details.get(old, (new, None, ""))
        how = f" (score {float(score):.2f}: {reasons})" if isinstance(score, float) else ""
        entries.append(
            {
                "table": "people",
                "row": None,
                "column": "person_id",
                "value": old,
                "action": "merged",
                "reason": f"person_id {old!r} merged into {new!r} as an accepted match with "
                f"{other!r}{how}; their attendance and contacts now use {new!r}",
            }
        )
    for pid in contacts.loc[loops, "source"]:
        entries.append(
            {
                "table": "contacts",
                "row": None,
                "column": "target",
                "value": pid,
                "action": "dropped",
                "reason": "self-contact after merging matched people",
            }
        )
    changes["contacts"] = contacts[~loops].reset_index(drop=True)
    report = pd.concat(
        [data.load_report, pd.DataFrame(entries, columns=REPORT_COLUMNS, dtype=object)],
        ignore_index=True,
    )
    changes["load_report"] = report.astype(object).where(report.notna(), None)
    counts = data.counts.copy()
    for table, n in (("people", len(into)), ("contacts", int(loops.sum()))):
        if table in counts.index and n:
            counts.loc[table, "kept"] -= n
            counts.loc[table, "dropped"] += n
    changes["counts"] = counts
    return dataclasses.replace(data, **changes)  # type: ignore[arg-type]
