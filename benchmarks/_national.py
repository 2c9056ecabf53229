"""One seeded generator of synthetic national datasets, shared by the scale benchmarks.

``bench_report.py`` (the whole report at 10k-200k people) and ``bench_engine.py`` (10⁷-10⁸
attendance rows through DuckDB and Spark) both draw their data here, so their numbers
describe the same kind of programme:

- people work in organisations; each organisation belongs to one sector and one region;
- ordinary meetings have 10-60 attendees, almost all from one region (``within_region``);
- a few national conferences of a fixed size (so co-attendance pairs grow linearly with
  the number of people, not quadratically);
- people have British names drawn from seeded pools (common names more often, so large
  organisations hold several people of one given name, as real registers do), and
  ``NEAR_DUPLICATES`` of them are written as a variant of a colleague's name (``Jon Smith``
  next to ``John Smith``, an initial, a typo, ...): the duplicate check has real work;
- two contact-survey waves: each respondent names a few colleagues, mostly in their own
  organisation (60 %) or region (30 %); in the follow-up wave ``cross_sector_rise`` of the
  within-organisation share moves to the region, so cross-sector ties rise (the planted
  programme effect); about ``respondent_share`` of people answer each wave.

Everything is vectorised numpy, deterministic for a given :class:`NationalSpec` (the
``seed`` is part of it), and streamed in chunks of events so 10⁸ attendance rows never sit
in memory at once (:func:`write_national`).

Usage::

    from _national import NationalSpec, national_tables, write_national

    tables = national_tables(NationalSpec(n_people=10_000))      # dict of DataFrames
    write_national(NationalSpec.for_rows(10**8), "/tmp/national", fmt="parquet")
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pandas as pd
from _names import ACCENTED_GIVEN, ACCENTED_SURNAMES, GIVEN, SURNAMES, VARIANTS, variant

__all__ = [
    "SECTORS",
    "NationalSpec",
    "contact_tables",
    "event_chunks",
    "expected_rows",
    "national_tables",
    "people_and_organisations",
    "write_national",
]

SECTORS = ("nhs", "prison", "local_authority", "police", "voluntary", "civil_service")
#: Share of people whose name is written as a variant of the previous colleague's name.
NEAR_DUPLICATES = 0.01


@dataclass(frozen=True)
class NationalSpec:
    """Size and shape of one synthetic national programme.

    ``n_organisations`` defaults to one per 20 people. ``meetings_per_person`` is the mean
    number of ordinary meetings a person attends, so attendance has about
    ``n_people * meetings_per_person + n_conferences * conference_size`` rows.
    """

    n_people: int
    n_organisations: int | None = None
    n_regions: int = 10
    sectors: tuple[str, ...] = SECTORS
    meetings_per_person: float = 3.0
    meeting_size: tuple[int, int] = (10, 60)
    within_region: float = 0.95
    n_conferences: int = 3
    conference_size: int = 500
    contacts_per_person: float = 4.0
    cross_sector_rise: float = 0.10
    respondent_share: float = 0.8
    seed: int = 0

    @classmethod
    def for_rows(
        cls,
        n_rows: int,
        *,
        n_organisations: int = 10_000,
        meetings_per_person: float = 50.0,
        seed: int = 0,
    ) -> NationalSpec:
        """A spec with about ``n_rows`` attendance rows: 10k organisations, people
        attending 50 meetings each (the engine benchmark's shape)."""
        return cls(
            n_people=max(1000, int(n_rows / meetings_per_person)),
            n_organisations=n_organisations,
            meetings_per_person=meetings_per_person,
            seed=seed,
        )

    @property
    def organisations(self) -> int:
        return self.n_organisations or max(1, self.n_people // 20)

    @property
    def n_meetings(self) -> int:
        low, high = self.meeting_size
        return max(1, round(self.n_people * self.meetings_per_person / ((low + high) / 2)))

    def with_seed(self, seed: int) -> NationalSpec:
        return replace(self, seed=seed)


def _rng(spec: NationalSpec, stream: int) -> np.random.Generator:
    """Independent streams per table, so a chunk size never changes the data."""
    return np.random.default_rng([spec.seed, stream])


def _ids(prefix: str, n: int) -> np.ndarray:
    width = len(str(max(n - 1, 1)))
    return np.char.add(prefix, np.char.zfill(np.arange(n).astype(str), width))


def _org_arrays(spec: NationalSpec) -> tuple[np.ndarray, np.ndarray]:
    """Sector and region codes of each organisation (organisations numbered by region)."""
    rng = _rng(spec, 1)
    n = spec.organisations
    sector = rng.integers(0, len(spec.sectors), n)
    region = np.sort(rng.integers(0, spec.n_regions, n))
    return sector, region


def _person_org(spec: NationalSpec) -> np.ndarray:
    """Organisation code of each person; people sorted by organisation, hence by region."""
    rng = _rng(spec, 2)
    return np.sort(rng.integers(0, spec.organisations, spec.n_people))


def _pool_draw(rng: np.random.Generator, pool: list[str], n: int) -> np.ndarray:
    """``n`` names from ``pool``, the k-th with weight 1 / (k + 5) (a few common names)."""
    weight = 1 / (np.arange(len(pool)) + 5)
    return np.array(pool)[rng.choice(len(pool), n, p=weight / weight.sum())]


def _person_names(spec: NationalSpec, org: np.ndarray) -> np.ndarray:
    """Seeded names of each person (their own random stream, so names never change the
    other tables); ``NEAR_DUPLICATES`` of the people (not the first of an organisation)
    are written as a variant of the previous person's name in their organisation."""
    rng = _rng(spec, 4)
    n = spec.n_people
    given = _pool_draw(rng, GIVEN + ACCENTED_GIVEN, n)
    surname = _pool_draw(rng, SURNAMES + ACCENTED_SURNAMES, n)
    names = np.char.add(np.char.add(given, " "), surname).astype(object)
    planted = (rng.random(n) < NEAR_DUPLICATES) & (org == np.roll(org, 1))
    planted[0] = False
    for k in np.flatnonzero(planted):
        kind = str(rng.choice(VARIANTS[1:]))  # never "as is": a variant, not a copy
        names[k] = variant(str(given[k - 1]), str(surname[k - 1]), kind, rng)
    return names


def people_and_organisations(spec: NationalSpec) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The ``people`` and ``organisations`` tables (connectnet's data format)."""
    sector, region = _org_arrays(spec)
    regions = np.array([f"Region {r + 1:02d}" for r in range(spec.n_regions)])
    sectors = np.array(spec.sectors)
    org_ids = _ids("O", spec.organisations)
    organisations = pd.DataFrame(
        {
            "organisation_id": org_ids,
            "name": np.char.add("Organisation ", org_ids),
            "sector": sectors[sector],
            "region": regions[region],
        }
    )
    org = _person_org(spec)
    person_ids = _ids("P", spec.n_people)
    people = pd.DataFrame(
        {
            "person_id": person_ids,
            "name": _person_names(spec, org),
            "organisation_id": org_ids[org],
            "sector": sectors[sector[org]],
            "region": regions[region[org]],
        }
    )
    return people, organisations


def _region_spans(spec: NationalSpec) -> tuple[np.ndarray, np.ndarray]:
    """Start and end (exclusive) of each region's people in the sorted person order."""
    _, org_region = _org_arrays(spec)
    person_region = org_region[_person_org(spec)]
    starts = np.searchsorted(person_region, np.arange(spec.n_regions), side="left")
    ends = np.searchsorted(person_region, np.arange(spec.n_regions), side="right")
    return starts, ends


_CHUNK_EVENTS = 100_000  # events per chunk (about 3.5M attendance rows)


def event_chunks(spec: NationalSpec) -> Iterator[tuple[pd.DataFrame, pd.DataFrame]]:
    """Yield ``(events, attendance)`` tables chunk by chunk (conferences first).

    Each person attends an event at most once; repeated draws within an event are dropped.
    Each chunk of ``_CHUNK_EVENTS`` events has its own random stream.
    """
    chunk_events = _CHUNK_EVENTS
    n_people = spec.n_people
    starts, ends = _region_spans(spec)
    n_conf = spec.n_conferences
    total = n_conf + spec.n_meetings
    low, high = spec.meeting_size
    for first in range(0, total, chunk_events):
        last = min(total, first + chunk_events)
        codes = np.arange(first, last)
        rng = np.random.default_rng([spec.seed, 3, first // chunk_events])
        is_conf = codes < n_conf
        size = np.where(is_conf, min(spec.conference_size, n_people), 0)
        size[~is_conf] = rng.integers(low, high + 1, int((~is_conf).sum()))
        size = np.minimum(size, n_people)
        region = rng.integers(0, spec.n_regions, len(codes))
        event_of_row = np.repeat(np.arange(len(codes)), size)
        # Draw within the event's region (or nationally for conferences and strays).
        local = ~is_conf[event_of_row] & (rng.random(len(event_of_row)) < spec.within_region)
        lo = np.where(local, starts[region[event_of_row]], 0)
        hi = np.where(local, ends[region[event_of_row]], n_people)
        empty = hi <= lo
        lo[empty], hi[empty] = 0, n_people
        person = lo + (rng.random(len(event_of_row)) * (hi - lo)).astype(np.int64)
        pairs = np.unique(event_of_row.astype(np.int64) * n_people + person)
        event_of_row, person = np.divmod(pairs, n_people)
        event_ids = _ids("E", total)[codes]
        day = pd.Timestamp("2024-01-01") + pd.to_timedelta(codes * 365 // max(total, 1), "D")
        events = pd.DataFrame(
            {
                "event_id": event_ids,
                "date": day.strftime("%Y-%m-%d"),
                "title": np.where(is_conf, "National conference", "Regional meeting"),
                "programme": "national_programme",
            }
        )
        attendance = pd.DataFrame(
            {"event_id": event_ids[event_of_row], "person_id": _ids("P", n_people)[person]}
        )
        yield events, attendance


def contact_tables(spec: NationalSpec) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The ``contacts`` (two waves) and ``respondents`` tables."""
    n = spec.n_people
    org = _person_org(spec)
    sector, _ = _org_arrays(spec)
    starts, ends = _region_spans(spec)
    _, org_region = _org_arrays(spec)
    person_region = org_region[org]
    org_start = np.searchsorted(org, np.arange(spec.organisations), side="left")
    org_end = np.searchsorted(org, np.arange(spec.organisations), side="right")
    person_ids = _ids("P", n)
    contacts, respondents = [], []
    for w, wave in enumerate(("baseline", "follow_up")):
        rng = _rng(spec, 10 + w)
        answered = np.flatnonzero(rng.random(n) < spec.respondent_share)
        k = rng.poisson(spec.contacts_per_person, len(answered))
        source = np.repeat(answered, k)
        u = rng.random(len(source))
        org_share = 0.6 - w * spec.cross_sector_rise
        same_org = u < org_share
        same_region = (u >= org_share) & (u < 0.9)
        lo = np.zeros(len(source), dtype=np.int64)
        hi = np.full(len(source), n, dtype=np.int64)
        own = org[source[same_org]]
        lo[same_org], hi[same_org] = org_start[own], org_end[own]
        r = person_region[source[same_region]]
        lo[same_region], hi[same_region] = starts[r], ends[r]
        target = lo + (rng.random(len(source)) * (hi - lo)).astype(np.int64)
        # The follow-up wave sends fewer ties within the organisation and more within the
        # region, mostly to other sectors: the planted programme effect.
        keep = target != source
        pairs = np.unique(source[keep] * n + target[keep])
        source, target = np.divmod(pairs, n)
        contacts.append(
            pd.DataFrame(
                {
                    "source": person_ids[source],
                    "target": person_ids[target],
                    "wave": wave,
                    "weight": 1 + (sector[org[source]] != sector[org[target]]).astype(int),
                }
            )
        )
        respondents.append(pd.DataFrame({"person_id": person_ids[answered], "wave": wave}))
    return (
        pd.concat(contacts, ignore_index=True),
        pd.concat(respondents, ignore_index=True),
    )


def national_tables(spec: NationalSpec) -> dict[str, pd.DataFrame]:
    """All six tables in memory: people, organisations, events, attendance, contacts,
    respondents (for sizes that fit; use :func:`write_national` beyond)."""
    people, organisations = people_and_organisations(spec)
    chunks = list(event_chunks(spec))
    contacts, respondents = contact_tables(spec)
    return {
        "people": people,
        "organisations": organisations,
        "events": pd.concat([e for e, _ in chunks], ignore_index=True),
        "attendance": pd.concat([a for _, a in chunks], ignore_index=True),
        "contacts": contacts,
        "respondents": respondents,
    }


def write_national(
    spec: NationalSpec,
    folder: str | Path,
    *,
    fmt: str = "csv",
    contacts: bool = True,
) -> dict[str, int]:
    """Write the tables to ``folder`` as CSV or Parquet, streaming events in chunks.

    Parquet is written by DuckDB (no pyarrow needed); a table written in chunks becomes a
    folder ``attendance/part-00000.parquet, ...`` for Parquet (DuckDB, Spark and
    ``scan_dataset`` read a folder of parts) and one appended file for CSV. Returns the
    number of rows written per table.
    """
    if fmt not in {"csv", "parquet"}:
        msg = f"`fmt` must be 'csv' or 'parquet', got {fmt!r}"
        raise ValueError(msg)
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    rows: dict[str, int] = {}

    def write(name: str, frame: pd.DataFrame, part: int | None = None) -> None:
        rows[name] = rows.get(name, 0) + len(frame)
        if fmt == "csv":
            path = out / f"{name}.csv"
            frame.to_csv(path, index=False, mode="a" if part else "w", header=not part)
            return
        import duckdb

        if part is None:
            path = out / f"{name}.parquet"
        else:
            (out / name).mkdir(exist_ok=True)
            path = out / name / f"part-{part:05d}.parquet"
        con = duckdb.connect()
        try:
            con.register("frame", frame)
            con.execute(f"COPY frame TO '{path}' (FORMAT PARQUET)")
        finally:
            con.close()

    people, organisations = people_and_organisations(spec)
    write("people", people)
    write("organisations", organisations)
    del people, organisations
    for part, (events, attendance) in enumerate(event_chunks(spec)):
        write("events", events, part)
        write("attendance", attendance, part)
    if contacts:
        contact, respondents = contact_tables(spec)
        write("contacts", contact)
        write("respondents", respondents)
    return rows


def expected_rows(spec: NationalSpec) -> int:
    """Approximate number of attendance rows (before repeated draws are dropped)."""
    low, high = spec.meeting_size
    conf = spec.n_conferences * min(spec.conference_size, spec.n_people)
    return conf + math.ceil(spec.n_meetings * (low + high) / 2)
