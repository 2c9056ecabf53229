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
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from connectnet._arrays import object_array

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
_NOT_LETTERS = re.compile(r"[\W_]+")
_SPACES = re.compile(r"\s+")

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
    text = str(name)
    if text.isascii():  # no accents to remove, and casefold is lower
        text = text.lower()
    else:
        text = unicodedata.normalize("NFKD", text)
        text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    text = _APOSTROPHES.sub("", text)
    if text.count(",") == 1:
        surname, given = text.split(",")
        text = f"{given} {surname}"
    tokens = _NOT_LETTERS.sub(" ", text).split()
    while len(tokens) > 1 and tokens[0] in _TITLES:
        tokens.pop(0)
    return tokens


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


def _bits(levels: dict[str, tuple[float, float]], level: str) -> float:
    m, u = levels[level]
    return math.log2(m / u)


_SURNAME_BITS = {level: _bits(_SURNAME_LEVELS, level) for level in _SURNAME_LEVELS}
_GIVEN_BITS = {level: _bits(_GIVEN_LEVELS, level) for level in _GIVEN_LEVELS}
# Levels as small integer codes, in the order the comparisons try them.
_SURNAME_CODES = tuple(_SURNAME_LEVELS)  # exact, hyphenated, typo, different
_GIVEN_CODES = tuple(_GIVEN_LEVELS)  # exact, nickname, initial, typo, missing, different
_SIDE_CODES = ("same", "different", "missing")  # organisation and extra fields
_SWAPPED = "given name and surname swapped"


def _score(weight: float) -> float:
    """Posterior match probability for match weight ``weight`` (bits)."""
    odds = _PRIOR / (1 - _PRIOR) * 2.0**weight
    return float(odds / (1 + odds)) if math.isfinite(odds) else 1.0


def _text(value: object) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return ""
    return str(value).strip()


def _field_key(value: object) -> str:
    return _SPACES.sub(" ", unicodedata.normalize("NFKC", _text(value))).casefold()


def _blocking_keys(name: _Name) -> list[tuple[str, str, str]]:
    """The keys under which a name is compared with others (splink's "blocking rules"):
    a pair is scored when it shares one. Same surname and the same first letter of the
    (nickname-resolved) given name — initials, nicknames, titles, accents, order; the same
    given name and the first letter of the surname — one-letter surname typos (each part of
    a double-barrelled surname is keyed on its own); the same first and last words in either
    order — swapped names."""
    if not name.surnames:
        return []
    if not name.given:
        return [("surname", name.surnames[-1], "")]
    given = min(_nickname_key(name.given))
    first, last = sorted((name.given, name.surnames[-1]))
    keys: list[tuple[str, str, str]] = [("words", first, last)]
    for surname in dict.fromkeys(name.surnames):  # each part of a double-barrelled name
        keys += [("surname", surname, given[0]), ("given", given, surname[0])]
    return keys


_KEY_TAGS = {"words": 0, "surname": 1, "given": 2}  # extra field k has tag 3 + k
_FIELD_RANK = 1 << 40  # field keys come after every name key of a person


@dataclass
class _Spellings:
    """Each distinct name spelling (of both tables) parsed once.

    ``given``/``last``/``joined`` are the given name, the last surname word and all
    surname words run together; ``swap_joined`` the surname words run together when the
    name is read with given name and surname swapped. ``key_*`` list the blocking keys
    (:func:`_blocking_keys`), ``key_start[s]:key_start[s + 1]`` those of spelling ``s`` in
    their order. The word arrays hold strings until :func:`_encode` makes them codes.
    """

    tokens: list[list[str]]
    words: np.ndarray  # True when the name has at least one word
    given: np.ndarray
    last: np.ndarray
    joined: np.ndarray
    multi: np.ndarray  # more than one surname word
    swap_joined: np.ndarray
    key_start: np.ndarray
    key_rank: np.ndarray
    key_tag: np.ndarray
    key_x: np.ndarray
    key_y: np.ndarray

    def surnames(self, spelling: int, swapped: bool) -> frozenset[str]:
        """The surname words of a spelling, as written or swapped."""
        name = _Name.parse(self.tokens[spelling])
        flipped = name.swapped() if swapped else name
        return frozenset(flipped.surnames if flipped else ())


def _spellings(texts: Sequence[str]) -> _Spellings:
    """Parse each distinct spelling once (registers repeat names); names of one or two
    words, the common case, are keyed with array operations."""
    tokens = [_name_tokens(t) for t in texts]
    count = np.fromiter(map(len, tokens), np.int64, len(tokens))
    first = object_array([t[0] if t else "" for t in tokens])
    last = object_array([t[-1] if t else "" for t in tokens])
    given = np.where(count >= 2, first, "")
    joined, swap_joined = last.copy(), given.copy()
    multi = np.flatnonzero(count >= 3)
    for k in multi:
        joined[k] = "".join(tokens[k][1:])
        swap_joined[k] = "".join(tokens[k][1:-1]) + tokens[k][0]
    one, two = np.flatnonzero(count == 1), np.flatnonzero(count == 2)
    canon = {g: min(_nickname_key(g)) for g in dict.fromkeys(given[two])}
    given2, last2 = given[two], last[two]
    canon2 = object_array([canon[g] for g in given2])
    low = (given2 <= last2).astype(bool)
    parts: list[tuple[np.ndarray, int, str, np.ndarray, np.ndarray]] = [
        (one, 0, "surname", last[one], np.full(len(one), "", dtype=object)),
        (two, 0, "words", np.where(low, given2, last2), np.where(low, last2, given2)),
        (two, 1, "surname", last2, object_array([g[0] for g in canon2])),
        (two, 2, "given", canon2, object_array([w[0] for w in last2])),
    ]
    for k in multi:
        for rank, (tag, x, y) in enumerate(_blocking_keys(_Name.parse(tokens[k]))):
            parts.append((np.array([k]), rank, tag, object_array([x]), object_array([y])))
    spelling = np.concatenate([p[0] for p in parts]).astype(np.int64)
    ranks = np.concatenate([np.full(len(p[0]), p[1], dtype=np.int64) for p in parts])
    tags = np.concatenate([np.full(len(p[0]), _KEY_TAGS[p[2]], dtype=np.int64) for p in parts])
    xs = np.concatenate([p[3] for p in parts])
    ys = np.concatenate([p[4] for p in parts])
    order = np.lexsort((ranks, spelling))
    start = np.concatenate([[0], np.cumsum(np.bincount(spelling, minlength=len(texts)))])
    return _Spellings(
        tokens,
        count > 0,
        given,
        last,
        joined,
        count >= 3,
        swap_joined,
        start.astype(np.int64),
        ranks[order],
        tags[order],
        xs[order],
        ys[order],
    )


@dataclass
class _Side:
    """One people table prepared for matching (arrays indexed by row)."""

    ids: np.ndarray
    names: np.ndarray
    organisations: np.ndarray  # organisation text, "" when missing
    spelling: np.ndarray  # index into the shared _Spellings
    orgs: np.ndarray  # the organisation key (case and spacing ignored)
    fields: dict[str, np.ndarray]  # the extra fields' keys
    by_org: bool  # compared only within organisations

    @property
    def blocks(self) -> np.ndarray:
        """The organisation code when comparing within organisations, else 0."""
        return self.orgs if self.by_org else np.zeros(len(self.orgs), dtype=np.int64)


def _encode(sides: Sequence[_Side], sp: _Spellings) -> list[str]:
    """Replace the key strings of the tables and spellings by integer codes shared by all
    of them (equal codes mean equal strings, ``""`` is 0); return the strings by code."""
    slots: list[tuple[dict[str, np.ndarray], str]] = [
        (vars(sp), name) for name in ("given", "last", "joined", "swap_joined", "key_x", "key_y")
    ]
    for side in sides:
        slots += [(vars(side), "orgs"), *((side.fields, f) for f in side.fields)]
    arrays = [np.asarray(owner[name], dtype=object) for owner, name in slots]
    codes, text = pd.factorize(np.concatenate([np.array([""], dtype=object), *arrays]))
    ends = np.cumsum([1] + [len(a) for a in arrays])
    for (owner, name), start, end in zip(slots, ends[:-1], ends[1:], strict=True):
        owner[name] = codes[start:end].astype(np.int64)
    return list(text)


def _check_table(people: object, on: tuple[str, ...], label: str) -> pd.DataFrame:
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
    return people


def _keys(texts: list[str]) -> np.ndarray:
    """``_field_key`` of each text, computed once per distinct text."""
    of = {t: _field_key(t) for t in dict.fromkeys(texts)}
    return object_array([of[t] for t in texts])


def _prepare(people: pd.DataFrame, on: tuple[str, ...], spelling_of: dict[str, int]) -> _Side:
    def texts(column: str) -> list[str]:
        values = people[column].to_numpy(dtype=object)
        return [v.strip() if type(v) is str else _text(v) for v in values]

    names = texts("name")
    spelling = np.fromiter(
        (spelling_of.setdefault(n, len(spelling_of)) for n in names), np.int64, len(names)
    )
    organisations = (
        texts("organisation_id") if "organisation_id" in people.columns else [""] * len(people)
    )
    extra = [c for c in on if c not in ("name", "organisation_id")]
    return _Side(
        people.index.to_numpy(dtype=object),
        object_array(names),
        object_array(organisations),
        spelling,
        _keys(organisations),
        {c: _keys(texts(c)) for c in extra},
        "organisation_id" in on,
    )


def _key_rows(side: _Side, sp: _Spellings) -> tuple[np.ndarray, ...]:
    """Every (row, rank, block, tag, x, y) blocking key of a table's rows: the name's keys
    (see :func:`_blocking_keys`), then one per non-empty extra field."""
    count = np.diff(sp.key_start)[side.spelling]
    rows = np.repeat(np.arange(len(side.spelling)), count)
    offset = np.arange(len(rows)) - np.repeat(np.cumsum(count) - count, count)
    k = np.repeat(sp.key_start[side.spelling], count) + offset
    parts = [(rows, sp.key_rank[k], sp.key_tag[k], sp.key_x[k], sp.key_y[k])]
    for n, values in enumerate(side.fields.values()):
        given = np.flatnonzero(values)
        fill = np.full(len(given), 1, dtype=np.int64)
        parts.append((given, fill * (_FIELD_RANK + n), fill * (3 + n), values[given], 0 * fill))
    rows, rank, tag, x, y = (np.concatenate(p) for p in zip(*parts, strict=True))
    return rows, rank, side.blocks[rows], tag, x, y


def _key_codes(*columns: np.ndarray) -> np.ndarray:
    """One integer per distinct tuple of the columns (column by column, so no overflow)."""
    code = np.zeros(len(columns[0]), dtype=np.int64)
    for column in columns:
        _, code = np.unique(code * (int(column.max(initial=0)) + 1) + column, return_inverse=True)
    return code.astype(np.int64).reshape(-1)


def _candidates(
    left: _Side, right: _Side, sp: _Spellings, same: bool
) -> tuple[np.ndarray, np.ndarray]:
    """Pairs (i, j) in one block (organisation) that share a blocking key (see
    :func:`_blocking_keys`) or agree exactly on an extra field; i < j when matching one
    table against itself. Listed by i, then by the first key they share (in the order of
    i's keys), then by j. The work grows with the pairs sharing a key, not with all pairs.
    """
    lrow, lrank, *lkey = _key_rows(left, sp)
    rrow, _, *rkey = _key_rows(right, sp)
    keys = _key_codes(*(np.concatenate([a, b]) for a, b in zip(lkey, rkey, strict=True)))
    lcode, rcode = keys[: len(lrow)], keys[len(lrow) :]
    order = np.lexsort((rrow, rcode))
    rcode, rrow = rcode[order], rrow[order]
    lo = np.searchsorted(rcode, lcode, side="left")
    count = np.searchsorted(rcode, lcode, side="right") - lo
    i = np.repeat(lrow, count)
    rank = np.repeat(lrank, count)
    offset = np.arange(len(i)) - np.repeat(np.cumsum(count) - count, count)
    j = rrow[np.repeat(lo, count) + offset]
    if same:
        keep = j > i
        i, rank, j = i[keep], rank[keep], j[keep]
    order = np.lexsort((j, rank, i))
    i, j = i[order], j[order]
    _, first = np.unique(i * max(len(right.spelling), 1) + j, return_index=True)
    first.sort()
    return i[first], j[first]


class _Words:
    """Facts about the strings by code: length, first letter, nickname groups."""

    def __init__(self, text: list[str]) -> None:
        self.text = text
        self.strings = object_array(text)
        self.length = np.fromiter(map(len, text), np.int64, len(text))
        # first letter as a number (casting to one-letter strings keeps only the first)
        self.first = np.asarray(text, dtype="U1").view(np.uint32).astype(np.int64)
        # each word is its own group, unless it is a spelling in _NICKNAMES
        code = {t: c for c, t in enumerate(text)}
        heads = sorted(set().union(*_NICKNAMES.values()))
        groups = {g: code.get(g, len(text) + k) for k, g in enumerate(heads)}
        width = max(map(len, _NICKNAMES.values()))
        self.nick = np.full((len(text), width), -1, dtype=np.int64)
        self.nick[:, 0] = np.arange(len(text))
        for spelling, canonical in _NICKNAMES.items():
            if spelling in code:
                row = [groups[g] for g in sorted(canonical)]
                self.nick[code[spelling], : len(row)] = row

    def one_edit(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        """Equal up to one insertion, deletion, substitution or swap of neighbours (OSA ≤ 1),
        for words of at least four letters (shorter words differ too easily)."""
        from rapidfuzz import process
        from rapidfuzz.distance import OSA

        la, lb = self.length[a], self.length[b]
        out = (np.maximum(la, lb) >= 4) & (self.first[a] == self.first[b]) & (abs(la - lb) <= 1)
        where = np.flatnonzero(out)
        pairs, back = np.unique(a[where] * len(self.text) + b[where], return_inverse=True)
        x, y = np.divmod(pairs, len(self.text))
        text = self.strings
        distance = process.cpdist(text[x], text[y], scorer=OSA.distance)
        out[where] = np.asarray(distance).reshape(-1)[back.reshape(-1)] <= 1
        return out

    def nickname(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        """Whether the words share a nickname group (a word outside every group is its own)."""
        na, nb = self.nick[a], self.nick[b]
        out = np.zeros(len(a), dtype=bool)
        for k in range(na.shape[1]):
            for m in range(nb.shape[1]):
                out |= (na[:, k] >= 0) & (na[:, k] == nb[:, m])
        return out


def _first_level(
    n: int, tests: Iterable[tuple[int, Callable[[np.ndarray], np.ndarray]]], default: int
) -> np.ndarray:
    """For each of ``n`` pairs the code of the first test it passes (each test is given
    the positions still undecided), else ``default``."""
    level = np.full(n, default, dtype=np.int64)
    left = np.arange(n)
    for code, test in tests:
        hit = test(left)
        level[left[hit]] = code
        left = left[~hit]
    return level


def _given_levels(words: _Words, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Given-name agreement level codes (``_GIVEN_CODES``) of word codes a and b."""
    code = _GIVEN_CODES.index
    return _first_level(
        len(a),
        [
            (code("missing"), lambda p: (a[p] == 0) | (b[p] == 0)),
            (code("exact"), lambda p: a[p] == b[p]),
            (code("nickname"), lambda p: words.nickname(a[p], b[p])),
            (
                code("initial"),
                lambda p: (
                    ((words.length[a[p]] == 1) | (words.length[b[p]] == 1))
                    & (words.first[a[p]] == words.first[b[p]])
                ),
            ),
            (code("typo"), lambda p: words.one_edit(a[p], b[p])),
        ],
        code("different"),
    )


_Surnames = tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, bool]


def _surname_levels(words: _Words, sp: _Spellings, a: _Surnames, b: _Surnames) -> np.ndarray:
    """Surname agreement level codes (``_SURNAME_CODES``) of pairs; each side is (last
    word, all words joined, several words?, spelling, read swapped?)."""
    (alast, ajoined, amulti, aspell, aswap), (blast, bjoined, bmulti, bspell, bswap) = a, b
    code = _SURNAME_CODES.index

    def shared(p: np.ndarray) -> np.ndarray:
        hit = np.zeros(len(p), dtype=bool)
        some = amulti[p] | bmulti[p]  # with one word each, sharing one means equal
        hit[some] = [
            bool(sp.surnames(x, aswap) & sp.surnames(y, bswap))
            for x, y in zip(aspell[p[some]].tolist(), bspell[p[some]].tolist(), strict=True)
        ]
        return hit

    return _first_level(
        len(alast),
        [
            (code("exact"), lambda p: (alast[p] == blast[p]) | (ajoined[p] == bjoined[p])),
            (code("hyphenated"), shared),
            (code("typo"), lambda p: words.one_edit(alast[p], blast[p])),
        ],
        code("different"),
    )


# Name weight of (reading, surname level, given level): as written, or swapped (1 bit less).
_NAME_BITS = np.array(
    [
        [
            [_SURNAME_BITS[s] + _GIVEN_BITS[g] - penalty for g in _GIVEN_CODES]
            for s in _SURNAME_CODES
        ]
        for penalty in (0.0, _SWAP_PENALTY)
    ]
)


def _name_levels(
    sp: _Spellings, words: _Words, a: np.ndarray, b: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Best reading of each pair of spellings (0 as written, 1 with `b`'s given name and
    surname swapped; the swap is only tried when the surnames as written differ and wins
    only when its weight is higher) and its surname and given-name levels."""

    def surnames(s: np.ndarray) -> _Surnames:
        return sp.last[s], sp.joined[s], sp.multi[s], s, False

    surname = _surname_levels(words, sp, surnames(a), surnames(b))
    given = _given_levels(words, sp.given[a], sp.given[b])
    flip = np.flatnonzero((surname != _SURNAME_CODES.index("exact")) & (sp.given[b] != 0))
    fa, fb = a[flip], b[flip]
    swapped_surnames = (sp.given[fb], sp.swap_joined[fb], sp.multi[fb], fb, True)
    flip_surname = _surname_levels(words, sp, surnames(fa), swapped_surnames)
    flip_given = _given_levels(words, sp.given[fa], sp.last[fb])
    better = _NAME_BITS[1, flip_surname, flip_given] > _NAME_BITS[0, surname[flip], given[flip]]
    reading = np.zeros(len(a), dtype=np.int64)
    won = flip[better]
    reading[won], surname[won], given[won] = 1, flip_surname[better], flip_given[better]
    return reading, surname, given


def _side_levels(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """``_SIDE_CODES`` of two key codes: same, different, or missing (either empty)."""
    return np.where((a == 0) | (b == 0), 2, np.where(a == b, 0, 1))


def _weight_and_reasons(
    levels: Sequence[int], fields: Sequence[str], by_org: bool
) -> tuple[float, str]:
    """Match weight and reasons of one combination of levels (reading, surname, given,
    organisation, then each extra field)."""
    reading, surname, given, org, *others = levels
    weight = float(_NAME_BITS[reading, surname, given])
    reasons = [_SWAPPED] if reading else []
    for field, level in (("surname", _SURNAME_CODES[surname]), ("given", _GIVEN_CODES[given])):
        if (field, level) in _REASON_WORDS:
            reasons.append(_REASON_WORDS[(field, level)])
    if by_org:
        weight += _bits(_ORG_LEVELS, _SIDE_CODES[org])
        if _SIDE_CODES[org] == "same":
            reasons.append("same organisation")
    for field, code in zip(fields, others, strict=True):
        level = _SIDE_CODES[code]
        weight += _bits(_FIELD_LEVELS, level)
        if level != "missing":
            reasons.append(f"{level} {field}")
    return weight, "; ".join(dict.fromkeys(reasons))


def _pair_weights(
    left: _Side,
    i: np.ndarray,
    right: _Side,
    j: np.ndarray,
    sp: _Spellings,
    by_org: bool,
    words: _Words,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Match weight, score and reasons of each pair (i, j). Each pair's levels form one of
    few combinations, so weights, scores and reasons are worked out once per combination."""
    reading, surname, given = _name_levels(sp, words, left.spelling[i], right.spelling[j])
    columns = [reading, surname, given, _side_levels(left.orgs[i], right.orgs[j])]
    columns += [_side_levels(v[i], right.fields[f][j]) for f, v in left.fields.items()]
    radix = [2, len(_SURNAME_CODES), len(_GIVEN_CODES)] + [3] * (len(columns) - 3)
    combination = np.zeros(len(i), dtype=np.int64)
    for column, base in zip(reversed(columns), reversed(radix), strict=True):
        combination = combination * base + column
    unique, back = np.unique(combination, return_inverse=True)
    weights, scores, reasons = [], [], []
    for value in unique.tolist():
        levels = []
        for base in radix:
            value, level = divmod(value, base)
            levels.append(level)
        weight, why = _weight_and_reasons(levels, list(left.fields), by_org)
        weights.append(weight)
        scores.append(_score(weight))
        reasons.append(why)
    back = back.reshape(-1)
    return (
        np.asarray(weights, dtype=np.float64)[back],
        np.asarray(scores, dtype=np.float64)[back],
        object_array(reasons)[back],
    )


def _best_for_each(i: np.ndarray, j: np.ndarray, weight: np.ndarray) -> np.ndarray:
    """Across two tables each person is one person on the other sheet: keep a pair unless
    its weight is more than ``_DOMINANCE`` bits below the best pair of either of its people
    (``Jane Smith`` on sheet 2 goes with ``Jane Smith``, not also with ``Jane Smyth``)."""
    best_left = np.full(int(i.max(initial=-1)) + 1, -np.inf)
    best_right = np.full(int(j.max(initial=-1)) + 1, -np.inf)
    np.maximum.at(best_left, i, weight)
    np.maximum.at(best_right, j, weight)
    return (weight >= best_left[i] - _DOMINANCE) & (weight >= best_right[j] - _DOMINANCE)


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
    `on`, and sharing a blocking key: the same surname and given-name initial, the same
    given name and surname initial, or the same two words in either order), then scored:
    ``W = Σ log2(m/u)`` over the agreement levels of surname, given name, organisation and
    the other fields, and ``score = 1 / (1 + (1 - λ)/λ · 2^-W)``. Across two tables a
    person is one person on the other sheet, so a pair more than 1 bit below the best pair of
    either of its people is dropped (``Jane Smith`` goes with ``Jane Smith``, not also with
    her colleague ``Jane Smyth``); within one table every pair is kept. The levels and their
    ``m``/``u`` values are in ``docs/data-format.md``; precision and recall of the default
    threshold are measured by ``benchmarks/bench_matching.py``. Both steps are array
    operations (blocking keys as integer codes joined once; each level computed for all
    pairs together; weight, score and reasons once per combination of levels), so flagging
    the duplicates of 50,000 people takes about a second.

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
    tables = [_check_table(left, on, "left")]
    if right is not None:
        tables.append(_check_table(right, on, "right"))
    spelling_of: dict[str, int] = {}  # shared by both tables
    sides = [_prepare(t, on, spelling_of) for t in tables]
    a, b = sides[0], sides[-1]
    sp = _spellings(list(spelling_of))
    words = _Words(_encode(sides, sp))
    by_org = "organisation_id" in on
    i, j = _candidates(a, b, sp, same)
    named = sp.words[a.spelling[i]] & sp.words[b.spelling[j]]
    i, j = i[named], j[named]
    weight, score, reasons = _pair_weights(a, i, b, j, sp, by_org, words)
    keep = score >= cutoff
    if not same:
        keep &= _best_for_each(i, j, weight)
    i, j, score, reasons = i[keep], j[keep], score[keep], reasons[keep]
    out = pd.DataFrame(
        {
            "left_id": a.ids[i],
            "right_id": b.ids[j],
            "left_name": a.names[i],
            "right_name": b.names[j],
            "left_organisation": _none_if_empty(a.organisations[i]),
            "right_organisation": _none_if_empty(b.organisations[j]),
            "score": score,
            "reasons": reasons,
        },
        columns=PAIR_COLUMNS,
    )
    out = out.astype({c: object for c in PAIR_COLUMNS if c != "score"})
    out["score"] = out["score"].astype("float64")
    order = np.lexsort((np.arange(len(out)), -out["score"].to_numpy()))
    return out.iloc[order].reset_index(drop=True)


def _none_if_empty(values: np.ndarray) -> np.ndarray:
    out = values.copy()
    out[values == ""] = None
    return out


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
        ("roster", ("person_id",)),
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
