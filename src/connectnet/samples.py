"""Synthetic sample datasets: where they live, how to load them, how they are generated.

Three invented studies modelled on national NHS network programmes ship with the package
(see ``data/samples/<name>/README.md`` for each scenario and what is planted in it):

``cancer_networks``
    34 local cancer networks, each sending a lead nurse, lead doctor and manager to six
    bimonthly day meetings; three themed workshops bring in commissioners, Department of
    Health staff and patient representatives; contact survey waves ``before``/``after``.
``prison_health``
    A national conference of 140 prison and NHS staff and civil servants from 10 regions,
    regional follow-up meetings, contact survey waves ``baseline``/``follow-up`` with a
    modest, noisy, dose-dependent rise in prison–NHS ties within regions and non-response.
``chief_executives``
    NHS trust chief executives (ambulance, acute, mental health, primary care) meeting
    twice a year for three years with a growing share of "significant local others"
    (local authority, police, voluntary sector); contact waves ``2021``–``2023``.

Every person and organisation in them is invented. The files are produced by a seeded
generator in this module and can be rebuilt byte for byte::

    python -m connectnet.samples --regenerate            # into the repository's data/samples
    python -m connectnet.samples --regenerate --out DIR  # anywhere else
    python -m connectnet.samples --check                 # compare with the shipped files
"""

from __future__ import annotations

import argparse
import csv
import io
import re
import sys
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from connectnet.data import Dataset

__all__ = ["list_samples", "load_sample", "sample_path"]

# --------------------------------------------------------------------------- lookup

_SAMPLE_NAMES = ("cancer_networks", "chief_executives", "prison_health")


def _packaged_root() -> Path:
    """Folder of the sample data inside an installed wheel."""
    return Path(__file__).resolve().parent / "sample_data"


def _repo_root() -> Path:
    """``data/samples`` of a source (or editable) checkout."""
    return Path(__file__).resolve().parents[2] / "data" / "samples"


def _data_root() -> Path:
    for root in (_packaged_root(), _repo_root()):
        if root.is_dir():
            return root
    msg = (
        f"sample data not found: looked in {_packaged_root()} (installed package) and "
        f"{_repo_root()} (source checkout). Reinstall connectnet, or run "
        "`python -m connectnet.samples --regenerate --out DIR` and read DIR/<name> with "
        "`connectnet.read_dataset`."
    )
    raise FileNotFoundError(msg)


def list_samples() -> list[str]:
    """Names of the synthetic sample datasets shipped with connectnet.

    Returns
    -------
    list of str
        Sample names in alphabetical order; pass one to :func:`load_sample`.

    Examples
    --------
    >>> import connectnet as cn
    >>> cn.list_samples()
    ['cancer_networks', 'chief_executives', 'prison_health']
    """
    return list(_SAMPLE_NAMES)


def _check_name(name: object) -> str:
    if not isinstance(name, str):
        msg = f"`name` must be a sample name (str), not {type(name).__name__}."
        raise TypeError(msg)
    if name not in _SAMPLE_NAMES:
        msg = (
            f"`name` {name!r} is not a sample; available samples: "
            f"{', '.join(_SAMPLE_NAMES)} (see connectnet.list_samples())."
        )
        raise ValueError(msg)
    return name


def sample_path(name: str) -> Path:
    """Folder holding a sample's CSV files and its README.

    Useful to look at the raw files, copy them as a template for your own data, or read
    them with :func:`connectnet.read_dataset` and non-default options.

    Parameters
    ----------
    name
        A sample name from :func:`list_samples`.

    Returns
    -------
    pathlib.Path
        The folder with ``people.csv``, ``organisations.csv``, ``events.csv``,
        ``attendance.csv``, ``contacts.csv``, ``respondents.csv`` and ``README.md``.

    Raises
    ------
    ValueError
        `name` is not a sample (the message lists the available ones).
    TypeError
        `name` is not a string.
    FileNotFoundError
        The package was installed without its data files.

    Examples
    --------
    >>> from connectnet.samples import sample_path
    >>> sorted(p.name for p in sample_path("prison_health").glob("*.csv"))
    ... # doctest: +NORMALIZE_WHITESPACE
    ['attendance.csv', 'contacts.csv', 'events.csv', 'organisations.csv', 'people.csv',
     'respondents.csv']
    """
    name = _check_name(name)
    folder = _data_root() / name
    if not (folder / "people.csv").is_file():
        msg = (
            f"sample {name!r}: {folder / 'people.csv'} is missing. Reinstall connectnet or "
            "regenerate the samples with `python -m connectnet.samples --regenerate`."
        )
        raise FileNotFoundError(msg)
    return folder


def load_sample(name: str) -> Dataset:
    """Load a synthetic sample dataset as a validated :class:`~connectnet.Dataset`.

    The sample's folder is read with :func:`connectnet.read_dataset` and its default
    options, so the load report shows the small, deliberate messiness each sample carries
    (a sector label in another case, an exact duplicate attendance row, a likely duplicate
    person, a self-contact) — the same things real sign-in sheets and surveys contain.

    Parameters
    ----------
    name
        One of :func:`list_samples`: ``"cancer_networks"``, ``"chief_executives"`` or
        ``"prison_health"``.

    Returns
    -------
    Dataset
        The five tables and the load report; ``source`` is ``"sample:<name>"``.

    Raises
    ------
    ValueError
        `name` is not a sample (the message lists the available ones).
    TypeError
        `name` is not a string.
    FileNotFoundError
        The package was installed without its data files.

    Examples
    --------
    >>> import connectnet as cn
    >>> data = cn.load_sample("prison_health")
    >>> data.waves
    ['baseline', 'follow-up']
    >>> data.people["sector"].value_counts().sort_index().to_dict()
    {'civil_service': 12, 'nhs': 51, 'prison': 78}

    Notes
    -----
    Every person and organisation in the samples is invented; see each sample's
    ``README.md`` (in :func:`sample_path`) for the scenario and what is planted.
    """
    from connectnet.data import read_dataset

    folder = sample_path(name)
    return read_dataset(folder, source=f"sample:{name}")


# --------------------------------------------------------------------------- generator

_COLUMNS = {
    "people": ("person_id", "name", "organisation_id", "sector", "role", "region"),
    "organisations": ("organisation_id", "name", "sector", "type", "region"),
    "events": ("event_id", "date", "title", "theme", "programme"),
    "attendance": ("event_id", "person_id", "status"),
    "contacts": ("source", "target", "wave", "date", "weight", "kind"),
    "respondents": ("person_id", "wave"),
    "roster": ("person_id", "wave"),
}
# tables written only by the samples that have them
_OPTIONAL_TABLES = ("roster",)

_ENGLISH_REGIONS = (
    "North East",
    "North West",
    "Yorkshire and the Humber",
    "East Midlands",
    "West Midlands",
    "East of England",
    "London",
    "South East",
    "South West",
)

_FIRST = (
    "Amelia", "Oliver", "Harriet", "George", "Priya", "Imran", "Aisha", "Kwame", "Femi",
    "Grace", "Thomas", "Eleanor", "Joseph", "Rachel", "Daniel", "Hannah", "Samuel", "Fiona",
    "Morag", "Callum", "Isla", "Lewis", "Rowan", "Bethan", "Owen", "Megan", "Rhys",
    "Alistair", "Catriona", "Declan", "Siobhan", "Patrick", "Bridget", "Marcus", "Simon",
    "Julia", "Andrew", "Karen", "Martin", "Louise", "Raj", "Anjali", "Tariq", "Farah", "Wei",
    "Mei", "Chidi", "Ngozi", "Yusuf", "Leila", "Siân", "Zoë", "Seán", "Ciarán", "Róisín",
    "Eilidh", "Niamh", "Dafydd", "Rhiannon", "Aled", "Chloë", "Renée", "Noémie", "Peter",
    "Susan", "Graham", "Alison", "Kevin", "Deborah", "Nadia", "Hamish", "Esther", "Colin",
    "Maureen", "Stuart", "Gemma", "Adebayo", "Ifeoma", "Tom", "Lucy", "Ruth", "Neil",
)  # fmt: skip

_SURNAMES = (
    "Jones", "Williams", "Taylor", "Brown", "Davies", "Evans", "Wilson", "Thomas", "Roberts",
    "Johnson", "Walker", "Robinson", "Wood", "Thompson", "Watson", "Jackson", "Wright",
    "Green", "Harris", "Cooper", "King", "Lee", "Clarke", "James", "Morgan", "Hughes",
    "Edwards", "Hill", "Moore", "Harrison", "Scott", "Young", "Morris", "Hall", "Ward",
    "Turner", "Carter", "Phillips", "Mitchell", "Patel", "Adams", "Campbell", "Anderson",
    "Allen", "Cook", "Bailey", "Parker", "Murphy", "Price", "Bell", "Baker", "Griffiths",
    "Kelly", "Simpson", "Marshall", "Collins", "Bennett", "Cox", "Richardson", "Fox", "Gray",
    "Chapman", "Hunt", "Robertson", "Shaw", "Reynolds", "Lloyd", "Ellis", "Russell",
    "Wilkinson", "Khan", "Graham", "Stewart", "Reid", "Murray", "Powell", "Palmer", "Holmes",
    "Rogers", "Stevens", "Walsh", "Hunter", "Matthews", "Ross", "Mason", "Knight", "Kennedy",
    "Butler", "Saunders", "O'Connor", "O'Brien", "Ní Bhriain", "McAllister", "MacLeod",
    "Ó Súilleabháin", "D'Arcy", "Ahmed", "Okafor", "Mensah", "Nair", "Chen", "Begum",
    "Singh", "Kowalski", "Nowak", "Fitzgerald", "Pryce", "Rees", "Vaughan", "Cadwaladr",
    "Ogunleye", "Henderson", "Fairbairn", "Whitlock", "Penhaligon", "Trevithick",
)  # fmt: skip

_PLACE_HEADS = (
    "Lark", "Rook", "Thorn", "Fern", "Kes", "Elder", "Bracken", "Wyvern", "Heron", "Sorrel",
    "Alder", "Teal", "Linnet", "Bramble", "Plover", "Tansy", "Corrie", "Marram", "Sedge",
    "Burdock", "Hollin", "Yarrow", "Gorse", "Nettle", "Willet", "Osier", "Cinder", "Sable",
)  # fmt: skip

_PLACE_TAILS = (
    "mere", "haven", "stow", "wick", "dale", "holt", "combe", "ridge", "moor", "brook",
    "fold", "shaw", "garth", "stead",
)  # fmt: skip

_KINDS = ("information", "advice", "joint_work")
_KIND_P = (0.45, 0.35, 0.20)
_TITLE_WORDS = frozenset({"dr", "prof", "mr", "mrs", "ms"})


def _name_key(name: str) -> tuple[str, str]:
    """Full and initial+surname keys, as a reader matching likely duplicates would use."""
    text = unicodedata.normalize("NFKC", name).casefold()
    tokens = [t for t in re.sub(r"[^\w\s]", " ", text).split() if t not in _TITLE_WORDS]
    return " ".join(tokens), f"{tokens[0][0]} {tokens[-1]}"


class _Names:
    """Unique invented names: no two people share a name, and no two people in one
    organisation share an initial and surname (so only the planted pair looks alike)."""

    def __init__(self, rng: np.random.Generator) -> None:
        self.rng = rng
        self.full: set[str] = set()
        self.short: set[tuple[str, str]] = set()

    def take(self, org: str, name: str) -> str:
        full, short = _name_key(name)
        if full in self.full or (org, short) in self.short:
            msg = f"generator bug: name {name!r} clashes in {org!r}"
            raise RuntimeError(msg)
        self.full.add(full)
        self.short.add((org, short))
        return name

    def new(self, org: str, title: str = "") -> str:
        while True:
            first = _FIRST[int(self.rng.integers(len(_FIRST)))]
            last = _SURNAMES[int(self.rng.integers(len(_SURNAMES)))]
            full, short = _name_key(f"{first} {last}")
            if full not in self.full and (org, short) not in self.short:
                return self.take(org, f"{title} {first} {last}".strip())


class _Places:
    """Unique invented place names."""

    def __init__(self, rng: np.random.Generator) -> None:
        combos = [h + t for h in _PLACE_HEADS for t in _PLACE_TAILS]
        self.order = [combos[i] for i in rng.permutation(len(combos))]

    def take(self, n: int) -> list[str]:
        out, self.order = self.order[:n], self.order[n:]
        return out


@dataclass
class _Sample:
    """A generated sample: rows per table (dicts keyed by column) and the README text."""

    tables: dict[str, list[dict[str, str]]] = field(
        default_factory=lambda: {t: [] for t in _COLUMNS if t not in _OPTIONAL_TABLES}
    )
    readme: str = ""


def _csv_text(rows: list[dict[str, str]], columns: Sequence[str]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([row.get(c, "") for c in columns])
    return buf.getvalue()


def _iso(day: date) -> str:
    return day.isoformat()


def _survey(
    rng: np.random.Generator,
    ids: Sequence[str],
    probs: Sequence[np.ndarray],
    waves: Sequence[str],
    windows: Sequence[tuple[date, int]],
    *,
    respond: Sequence[np.ndarray],
    report: float,
    persistence: float,
    strong: np.ndarray,
) -> tuple[list[dict[str, str]], list[np.ndarray], list[dict[str, str]]]:
    """Simulate contact-survey waves over an undirected latent tie network.

    Each dyad has a latent uniform draw ``u``; the tie exists in a wave when ``u`` is below
    that wave's probability. Between waves ``u`` is kept with probability `persistence`
    (stable relationships) and redrawn otherwise (churn). A respondent (``respond`` per wave
    and person) names each existing tie with probability `report`; non-respondents name no
    one but can still be named. Weights 1-3 (3 = weekly) lean high on `strong` dyads.
    Returns the contact rows (wave by wave, sorted by source then target), the latent
    tie matrices per wave (for the README statistics) and the respondent rows (who answered
    each wave, including people who named nobody).
    """
    n = len(ids)
    iu, ju = np.triu_indices(n, 1)
    u = rng.random(len(iu))
    rows: list[dict[str, str]] = []
    latent: list[np.ndarray] = []
    answered: list[dict[str, str]] = []
    for w, (wave, p, (start, span)) in enumerate(zip(waves, probs, windows, strict=True)):
        if w:
            keep = rng.random(len(iu)) < persistence
            u = np.where(keep, u, rng.random(len(iu)))
        tie = u < p[iu, ju]
        ti, tj = iu[tie], ju[tie]
        adj = np.zeros((n, n), dtype=bool)
        adj[ti, tj] = adj[tj, ti] = True
        latent.append(adj)
        strength = (
            np.where(
                strong[ti, tj],
                rng.choice(3, size=len(ti), p=(0.15, 0.35, 0.50)),
                rng.choice(3, size=len(ti), p=(0.55, 0.30, 0.15)),
            )
            + 1
        )
        day = rng.integers(span, size=n)
        responded = rng.random(n) < respond[w]
        answered.extend(
            {"person_id": ids[i], "wave": wave} for i in np.flatnonzero(responded).tolist()
        )
        src = np.concatenate([ti, tj])
        dst = np.concatenate([tj, ti])
        base = np.concatenate([strength, strength])
        named = responded[src] & (rng.random(len(src)) < report)
        jitter = rng.choice(3, size=len(src), p=(0.15, 0.7, 0.15)) - 1
        weight = np.clip(base + jitter, 1, 3)
        kind = rng.choice(len(_KINDS), size=len(src), p=_KIND_P)
        order = np.lexsort((dst, src))
        for k in order[named[order]]:
            s = int(src[k])
            rows.append(
                {
                    "source": ids[s],
                    "target": ids[int(dst[k])],
                    "wave": wave,
                    "date": _iso(start + timedelta(days=int(day[s]))),
                    "weight": str(int(weight[k])),
                    "kind": _KINDS[int(kind[k])],
                }
            )
    return rows, latent, answered


def _plant_self_contact(rows: list[dict[str, str]], person: str, wave: str) -> dict[str, str]:
    """Insert a self-contact by the first respondent from ``person`` on (in id order) who
    answered ``wave``, after their last row; return it."""
    person = min(r["source"] for r in rows if r["wave"] == wave and r["source"] >= person)
    where = max(i for i, r in enumerate(rows) if r["source"] == person and r["wave"] == wave)
    row = {**rows[where], "target": person, "weight": "1", "kind": "information"}
    rows.insert(where + 1, row)
    return {**row, "row": str(_row_no(where + 1))}


def _plant_duplicate_attendance(rows: list[dict[str, str]], index: int) -> dict[str, str]:
    rows.insert(index + 1, dict(rows[index]))
    return rows[index]


def _attendance_rows(
    events: Sequence[str], present: np.ndarray, ids: Sequence[str]
) -> list[dict[str, str]]:
    """One ``attended`` row per True cell of ``present`` (people × events), event by event."""
    return [
        {"event_id": e, "person_id": ids[int(i)], "status": "attended"}
        for k, e in enumerate(events)
        for i in np.flatnonzero(present[:, k])
    ]


def _blank_some_sectors(
    rng: np.random.Generator, people: list[dict[str, str]], share: float
) -> int:
    """Leave ``sector`` blank on a share of people: they inherit their organisation's."""
    blank = rng.random(len(people)) < share
    for row, b in zip(people, blank, strict=True):
        if b:
            row["sector"] = ""
    return int(blank.sum())


def _pct(x: float) -> str:
    return f"{100 * x:.1f}%"


_SYNTHETIC = (
    "**Every person and organisation in this dataset is invented.** Names were drawn at "
    "random from lists of first names and surnames; organisation and place names are made "
    "up (any resemblance to a real person, trust, prison or place is coincidental). The "
    "structure is modelled on real national NHS network programmes, the data are not."
)

_FORMAT = """\
## Files and columns

| file | columns |
| --- | --- |
| `people.csv` | person_id, name, organisation_id, sector (blank = inherit the organisation's), role, region |
| `organisations.csv` | organisation_id, name, sector, type, region |
| `events.csv` | event_id, date (ISO 8601), title, theme, programme |
| `attendance.csv` | event_id, person_id, status (`attended`; only attendances are listed) |
| `contacts.csv` | source (respondent), target (person named), wave, date (response date), weight (1 = occasional, 2 = monthly, 3 = weekly), kind (information, advice, joint_work) |
| `respondents.csv` | person_id, wave: who returned the questionnaire in each wave, including people who named nobody |

All files are UTF-8 (no BOM) with `\\n` line endings. Sector codes are lowercase
snake-case. Contacts are listed wave by wave in survey order, then by respondent.
"""  # noqa: E501

_REGENERATE = """\
## Regenerating

The files are written by a seeded generator and reproduced byte for byte with

    python -m connectnet.samples --regenerate [--out DIR]

(`python -m connectnet.samples --check` compares a fresh run with the shipped files).
"""


def _readme(title: str, body: str, planted: str, messiness: Sequence[str]) -> str:
    mess = "\n".join(f"- {m}" for m in messiness)
    return (
        f"# Sample dataset: {title}\n\n{_SYNTHETIC}\n\n{body.strip()}\n\n{_FORMAT}\n"
        f"## What is planted\n\n{planted.strip()}\n\n"
        "## Deliberate messiness (shown in the load report)\n\n"
        "Real registers are messy; each of these is reported by `connectnet.read_dataset`"
        " with its file row, and none stops the data loading with default options:\n\n"
        f"{mess}\n\n{_REGENERATE}"
    )


def _row_no(index: int) -> int:
    """Spreadsheet row of the ``index``-th data row (header is row 1)."""
    return index + 2


# --------------------------------------------------------------------------- cancer networks


def _cancer_networks() -> _Sample:
    rng = np.random.default_rng(1101)
    names, places = _Names(rng), _Places(rng)
    sample = _Sample()
    orgs, people = sample.tables["organisations"], sample.tables["people"]

    per_region = (3, 5, 4, 4, 4, 4, 4, 3, 3)
    net_regions = [r for r, k in zip(_ENGLISH_REGIONS, per_region, strict=True) for _ in range(k)]
    for i, (place, region) in enumerate(zip(places.take(34), net_regions, strict=True), 1):
        orgs.append(
            {
                "organisation_id": f"CN{i:02d}",
                "name": f"{place} Cancer Network",
                "sector": "nhs",
                "type": "cancer_network",
                "region": region,
            }
        )
    orgs.append(
        {
            "organisation_id": "DH",
            "name": "Department of Health National Cancer Programme Team (fictional)",
            "sector": "department_of_health",
            "type": "government_department",
            "region": "National",
        }
    )
    com_regions = (
        "North West",
        "Yorkshire and the Humber",
        "West Midlands",
        "London",
        "South West",
    )
    for i, (place, region) in enumerate(zip(places.take(5), com_regions, strict=True), 1):
        orgs.append(
            {
                "organisation_id": f"COM{i}",
                "name": f"{place} Commissioning Consortium",
                "sector": "commissioner",
                "type": "commissioning_body",
                "region": region,
            }
        )
    pr_regions = ("North East", "East Midlands", "South East")
    for i, (place, region) in enumerate(zip(places.take(3), pr_regions, strict=True), 1):
        orgs.append(
            {
                "organisation_id": f"PRF{i}",
                "name": f"{place} Cancer Patients' Forum",
                "sector": "patient_rep",
                "type": "patient_group",
                "region": region,
            }
        )

    def person(org: dict[str, str], role: str, name: str) -> None:
        people.append(
            {
                "person_id": f"P{len(people) + 1:03d}",
                "name": name,
                "organisation_id": org["organisation_id"],
                "sector": org["sector"],
                "role": role,
                "region": org["region"],
            }
        )

    forced = {"CN01": "Siân O'Connor", "CN02": "Zoë Ní Bhriain"}
    for org in orgs[:34]:
        oid = org["organisation_id"]
        nurse = names.take(oid, forced[oid]) if oid in forced else names.new(oid)
        person(org, "lead_nurse", nurse)
        person(org, "lead_doctor", names.new(oid, "Dr"))
        person(org, "manager", names.new(oid))
    dh = orgs[34]
    person(dh, "policy_lead", names.new("DH"))
    person(dh, "national_clinical_lead", names.take("DH", "Dr Jane Smith"))
    person(dh, "programme_manager", names.new("DH"))
    for _ in range(3):
        person(dh, "policy_adviser", names.new("DH"))
    for org in orgs[35:40]:
        for _ in range(2):
            person(org, "commissioner", names.new(org["organisation_id"]))
    for org in orgs[40:43]:
        for _ in range(2):
            person(org, "patient_representative", names.new(org["organisation_id"]))
    n_blank = _blank_some_sectors(rng, people, 0.15)
    dup_of = next(i for i, p in enumerate(people) if p["name"] == "Dr Jane Smith")
    person(dh, "national_clinical_lead", "jane smith")
    people[-1]["sector"] = ""
    dup = len(people) - 1
    messy_sector = 18  # a lead nurse; written " NHS"
    people[messy_sector]["sector"] = " NHS"

    n = len(people)
    ids = [p["person_id"] for p in people]
    role = np.array([p["role"] for p in people])
    org = np.array([p["organisation_id"] for p in people])
    region = np.array([p["region"] for p in people])
    core = np.array([o.startswith("CN") for o in org])
    centre = np.isin(role, ["policy_lead", "national_clinical_lead", "programme_manager"])
    centre[dup] = False
    dh_staff = org == "DH"
    commissioner = role == "commissioner"
    patient = role == "patient_representative"

    # events: six day meetings (every two months) and three themed workshops
    meetings = [
        date(2022, m, d) for m, d in ((1, 20), (3, 17), (5, 19), (7, 21), (9, 15), (11, 17))
    ]
    workshops = [
        (date(2022, 2, 24), "Workshop: commissioning cancer services", "commissioning"),
        (date(2022, 6, 16), "Workshop: listening to patients", "patient_experience"),
        (date(2022, 10, 13), "Workshop: putting national guidance into practice", "guidance"),
    ]
    schedule = [(d, f"Day meeting {k}", "day_meeting") for k, d in enumerate(meetings, 1)]
    schedule = sorted(schedule + workshops)
    event_ids = [f"E{k:02d}" for k in range(1, len(schedule) + 1)]
    for eid, (day, title, theme) in zip(event_ids, schedule, strict=True):
        sample.tables["events"].append(
            {
                "event_id": eid,
                "date": _iso(day),
                "title": title,
                "theme": theme,
                "programme": "national_cancer_network",
            }
        )

    present = np.zeros((n, len(schedule)), dtype=bool)
    draw = rng.random((n, len(schedule)))
    for k, (_, _, theme) in enumerate(schedule):
        if theme == "day_meeting":
            p = np.where(core, 0.85, np.where(centre, 0.95, 0.0))
        else:
            p = np.where(core, 0.2, 0.0)
            p = np.where(dh_staff, 0.5, p)
            if theme == "commissioning":
                p = np.where(commissioner, 0.9, np.where(core & (role == "manager"), 0.55, p))
            elif theme == "patient_experience":
                p = np.where(patient, 0.95, np.where(core & (role == "lead_nurse"), 0.55, p))
            else:
                p = np.where(dh_staff, 0.9, p)
                p = np.where(core & (role == "lead_doctor"), 0.55, p)
                p = np.where(commissioner, 0.3, p)
        p[dup] = 0.0
        present[:, k] = draw[:, k] < p
    # the planted duplicate signed the patient-experience workshop register as "jane smith"
    w2 = next(k for k, s in enumerate(schedule) if s[2] == "patient_experience")
    present[dup_of, w2], present[dup, w2] = False, True
    attendance = _attendance_rows(event_ids, present, ids)
    dup_att = _plant_duplicate_attendance(attendance, 57)
    sample.tables["attendance"] = attendance

    # contact survey: before (December 2021) and after (December 2022)
    same_org = org[:, None] == org[None, :]
    same_region = region[:, None] == region[None, :]
    both_core = core[:, None] & core[None, :]
    same_role = role[:, None] == role[None, :]
    core_centre = (core[:, None] & dh_staff[None, :]) | (dh_staff[:, None] & core[None, :])
    guest = commissioner | patient
    core_guest = (core[:, None] & guest[None, :]) | (guest[:, None] & core[None, :])
    probs = []
    for cross_same, cross_other, centre_p, guest_p in (
        (0.08, 0.010, 0.15, 0.10),
        (0.20, 0.035, 0.35, 0.16),
    ):
        p = np.full((n, n), 0.02)
        p = np.where(both_core & same_region, cross_same, p)
        p = np.where(both_core & ~same_region, cross_other * np.where(same_role, 1.5, 1.0), p)
        p = np.where(core_centre, centre_p, p)
        p = np.where(core_guest & same_region, guest_p, p)
        p = np.where(core_guest & ~same_region, 0.01, p)
        p = np.where(same_org, 0.85, p)
        p[dup, :] = p[:, dup] = 0.0
        probs.append(p)
    respond = np.where(np.arange(n) == dup, 0.0, 0.95)
    contacts, latent, answered = _survey(
        rng,
        ids,
        probs,
        ("before", "after"),
        ((date(2021, 12, 1), 21), (date(2022, 12, 1), 21)),
        respond=(respond, respond),
        report=0.85,
        persistence=0.75,
        strong=same_org,
    )
    self_row = _plant_self_contact(contacts, ids[40], "after")
    sample.tables["contacts"] = contacts
    sample.tables["respondents"] = answered

    cross = both_core & ~same_org
    iu = np.triu_indices(n, 1)
    rates = [float(a[iu][cross[iu]].mean()) for a in latent]
    n_core_att = present[core][:, [k for k, s in enumerate(schedule) if s[2] == "day_meeting"]]
    body = f"""\
## Scenario

A national clinical network of **34 local cancer networks** (organisations `CN01`–`CN34`,
sector `nhs`, type `cancer_network`, in the nine English regions). Each network sends its
**lead nurse, lead doctor and manager** (102 core members) to a **day meeting every two
months for a year** (6 day meetings in 2022, theme `day_meeting`). The centre — a fictional
Department of Health team (`DH`, sector `department_of_health`) — sends its policy lead,
national clinical lead and programme manager to the day meetings to bring guidance and
take feedback. **Three themed workshops** (theme `commissioning`, `patient_experience`,
`guidance`) bring in guests: commissioners (`COM1`–`COM5`, sector `commissioner`),
patient representatives (`PRF1`–`PRF3`, sector `patient_rep`) and further Department of
Health advisers, alongside some core members.

A **contact survey** asked everyone whom they work with, in December 2021 (wave `before`,
listed first) and December 2022 (wave `after`).

Size: {n} people rows, {len(orgs)} organisations, {len(schedule)} events,
{len(attendance)} attendance rows, {len(contacts)} contact rows.
"""
    planted = f"""\
- Core membership is stable: each core member attends each day meeting with probability
  0.85 (observed share of core seats filled: {_pct(float(n_core_att.mean()))}); centre
  staff with probability 0.95. Workshops are attended mostly by their guests and by the
  matching core role (managers at commissioning, lead nurses at patient experience, lead
  doctors at guidance).
- Ties within a network are dense and stable (probability 0.85 in both waves).
- **Cross-network ties rise**: tie probability between core members of different networks
  in the same region 0.08 → 0.20, in different regions 0.010 → 0.035 (×1.5 for the same
  role); core–centre ties 0.15 → 0.35; core–guest ties in the same region 0.10 → 0.16.
  Realised share of cross-network core pairs tied: {_pct(rates[0])} before,
  {_pct(rates[1])} after.
- Survey noise: each respondent names an existing tie with probability 0.85; 5% of people
  did not respond in each wave (they name no one but can be named); 75% of relationships
  persist between waves, the rest are redrawn.
- {n_blank} people have a blank sector and inherit their organisation's.
"""
    messiness = [
        (
            f'`people.csv` row {_row_no(messy_sector)}: sector written `" NHS"` (leading space, '
            "capitals) — normalised to `nhs`."
        ),
        (
            f"`people.csv` row {_row_no(dup)}: `jane smith` (`{ids[dup]}`) is very likely "
            f"`Dr Jane Smith` (`{ids[dup_of]}`, row {_row_no(dup_of)}) of the same organisation, "
            "who signed one workshop register in lower case — flagged as a possible duplicate, "
            "not merged."
        ),
        (
            f"`attendance.csv` rows {_row_no(57)} and {_row_no(58)}: exact duplicate "
            f"(`{dup_att['event_id']}`, `{dup_att['person_id']}`) — kept once."
        ),
        (
            f"`contacts.csv` row {self_row['row']}: `{self_row['source']}` names themself in wave "
            f"`{self_row['wave']}` — a self-contact, dropped."
        ),
    ]
    sample.readme = _readme("cancer_networks", body, planted, messiness)
    return sample


# --------------------------------------------------------------------------- prison health

_PRISON_REGIONS = (*_ENGLISH_REGIONS, "Wales")


def _prison_health() -> _Sample:
    rng = np.random.default_rng(2202)
    names, places = _Names(rng), _Places(rng)
    sample = _Sample()
    orgs, people = sample.tables["organisations"], sample.tables["people"]

    prisons_per_region = (3, 2, 3, 2, 3, 2, 3, 2, 3, 3)
    two_clinicians = set(rng.permutation(20)[:10].tolist())
    prison_types = (
        "local_prison",
        "training_prison",
        "young_offender_institution",
        "womens_prison",
    )
    nhs_types = ("primary_care_trust", "mental_health_trust")
    orgs.append(
        {
            "organisation_id": "CS00",
            "name": "Prison Health Policy Unit (fictional)",
            "sector": "civil_service",
            "type": "government_department",
            "region": "National",
        }
    )
    place_iter = iter(places.take(26 + 20))
    for r, (region, n_prisons) in enumerate(
        zip(_PRISON_REGIONS, prisons_per_region, strict=True), 1
    ):
        orgs.append(
            {
                "organisation_id": f"CS{r:02d}",
                "name": f"{region} Offender Health Team",
                "sector": "civil_service",
                "type": "regional_office",
                "region": region,
            }
        )
        for _ in range(n_prisons):
            ptype = prison_types[int(rng.choice(4, p=(0.45, 0.35, 0.1, 0.1)))]
            orgs.append(
                {
                    "organisation_id": f"PR{sum(o['type'] in prison_types for o in orgs) + 1:02d}",
                    "name": f"HMP {next(place_iter)}",
                    "sector": "prison",
                    "type": ptype,
                    "region": region,
                }
            )
        for kind in nhs_types:
            k = sum(o["sector"] == "nhs" for o in orgs) + 1
            label = "Primary Care Trust" if kind == "primary_care_trust" else "Mental Health Trust"
            orgs.append(
                {
                    "organisation_id": f"NHS{k:02d}",
                    "name": f"{next(place_iter)} {label}",
                    "sector": "nhs",
                    "type": kind,
                    "region": region,
                }
            )

    def person(org: dict[str, str], role: str, name: str) -> None:
        people.append(
            {
                "person_id": f"P{len(people) + 1:03d}",
                "name": name,
                "organisation_id": org["organisation_id"],
                "sector": org["sector"],
                "role": role,
                "region": org["region"],
            }
        )

    for org in orgs:
        oid = org["organisation_id"]
        if org["sector"] == "civil_service":
            if oid == "CS00":
                person(org, "policy_lead", names.new(oid))
                person(org, "civil_servant", names.new(oid))
            else:
                person(org, "civil_servant", names.new(oid))
        elif org["sector"] == "prison":
            person(org, "governor", names.new(oid))
            person(org, "prison_officer", names.new(oid))
            person(org, "prison_officer", names.new(oid))
        else:
            k = int(oid[3:]) - 1
            name = "Gareth Llewellyn" if oid == "NHS07" else ""
            person(org, "nhs_manager", names.take(oid, name) if name else names.new(oid))
            n_clin = 2 if k in two_clinicians else 1
            for _ in range(n_clin):
                title = "Dr" if rng.random() < 0.5 else ""
                person(org, "clinician", names.new(oid, title))
    n_blank = _blank_some_sectors(rng, people, 0.1)
    n_real = len(people)
    dup_of = next(i for i, p in enumerate(people) if p["name"] == "Gareth Llewellyn")
    person(
        orgs[[o["organisation_id"] for o in orgs].index("NHS07")], "nhs_manager", "G. Llewellyn"
    )
    dup = len(people) - 1
    messy_sector = [i for i, p in enumerate(people) if p["role"] == "prison_officer"][9]
    people[messy_sector]["sector"] = "Prison "

    n = len(people)
    ids = [p["person_id"] for p in people]
    org_sector = {o["organisation_id"]: o["sector"] for o in orgs}
    sector = np.array([org_sector[p["organisation_id"]] for p in people])
    region = np.array([p["region"] for p in people])
    org = np.array([p["organisation_id"] for p in people])
    role = np.array([p["role"] for p in people])

    # events: the conference, then 2-3 regional follow-up meetings per region
    events = [(date(2023, 3, 14), "National Prison Health Network Conference", "conference", "")]
    for region_name in _PRISON_REGIONS:
        k = int(rng.integers(2, 4))
        months = np.sort(rng.choice(np.arange(4, 9), size=k, replace=False))
        for j, month in enumerate(months, 1):
            day = date(2023, int(month), int(rng.integers(3, 27)))
            events.append(
                (
                    day,
                    f"{region_name} regional follow-up meeting {j}",
                    "regional_follow_up",
                    region_name,
                )
            )
    events.sort()
    event_ids = [f"E{k:02d}" for k in range(1, len(events) + 1)]
    for eid, (day, title, theme, _) in zip(event_ids, events, strict=True):
        sample.tables["events"].append(
            {
                "event_id": eid,
                "date": _iso(day),
                "title": title,
                "theme": theme,
                "programme": "prison_health_network",
            }
        )
    present = np.zeros((n, len(events)), dtype=bool)
    present[:n_real, 0] = True
    engagement = rng.beta(2.0, 2.0, size=n)
    engagement = np.where(role == "civil_servant", np.maximum(engagement, 0.6), engagement)
    draw = rng.random((n, len(events)))
    for k, (_, _, theme, ev_region) in enumerate(events):
        if theme == "regional_follow_up":
            present[:, k] = (region == ev_region) & (draw[:, k] < engagement)
    present[dup] = False
    # the planted duplicate signed one regional register as "G. Llewellyn"
    his = [k for k in np.flatnonzero(present[dup_of]) if k > 0]
    if not his:  # pragma: no cover - guarded by the seed
        raise RuntimeError("generator: planted duplicate has no regional meeting")
    present[dup_of, his[0]], present[dup, his[0]] = False, True
    dose = present[:, 1:].sum(axis=1)
    dose_true = dose.copy()
    dose_true[dup_of] += 1  # his own exposure, whatever name he signed with
    attendance = _attendance_rows(event_ids, present, ids)
    dup_att = _plant_duplicate_attendance(attendance, 200)
    sample.tables["attendance"] = attendance

    # contact survey: baseline (before the conference) and follow-up (~6 months later)
    same_org = org[:, None] == org[None, :]
    same_region = region[:, None] == region[None, :]
    same_sector = sector[:, None] == sector[None, :]
    prison_nhs = ((sector[:, None] == "prison") & (sector[None, :] == "nhs")) | (
        (sector[:, None] == "nhs") & (sector[None, :] == "prison")
    )
    civil = sector == "civil_service"
    national = org == "CS00"
    civil_local = (civil[:, None] | civil[None, :]) & same_region & ~same_sector
    exposure = dose_true[:, None] + dose_true[None, :]
    probs = []
    for follow_up in (False, True):
        p = np.full((n, n), 0.005)
        p = np.where(same_sector & ~same_region, 0.015, p)
        p = np.where(same_sector & same_region, 0.12, p)
        gov = role == "governor"
        p = np.where(gov[:, None] & gov[None, :], 0.06, p)
        base = 0.04 + (0.035 * exposure if follow_up else 0.0)
        p = np.where(prison_nhs & same_region, base, p)
        p = np.where(civil_local, 0.18 if follow_up else 0.15, p)
        p = np.where(national[:, None] | national[None, :], 0.03, p)
        p = np.where(
            national[:, None] & civil[None, :] | civil[:, None] & national[None, :], 0.4, p
        )
        p = np.where(same_org, 0.5, p)
        p[dup, :] = p[:, dup] = 0.0
        probs.append(p)
    respond = [np.where(np.arange(n) == dup, 0.0, 0.87) for _ in range(2)]
    contacts, latent, answered = _survey(
        rng,
        ids,
        probs,
        ("baseline", "follow-up"),
        ((date(2023, 2, 27), 14), (date(2023, 9, 11), 18)),
        respond=respond,
        report=0.8,
        persistence=0.7,
        strong=same_org,
    )
    self_row = _plant_self_contact(contacts, ids[66], "baseline")
    sample.tables["contacts"] = contacts
    sample.tables["respondents"] = answered

    iu = np.triu_indices(n, 1)
    within = (prison_nhs & same_region)[iu]
    cross_r = (prison_nhs & ~same_region)[iu]
    rate = [(float(a[iu][within].mean()), float(a[iu][cross_r].mean())) for a in latent]
    waves = ("baseline", "follow-up")
    sources = {w: {r["source"] for r in contacts if r["wave"] == w} for w in waves}
    silent = {w: n_real - len(s - {ids[dup]}) for w, s in sources.items()}
    n_follow = len(events) - 1
    body = f"""\
## Scenario

A Prison Health primary care development network. A **national conference** (`E01`,
14 March 2023) brought together **{n_real} people** from **10 regions** (the nine English
regions and Wales): prison governors and prison officers (sector `prison`, 26 prisons, 2–3
per region), clinicians and NHS managers (sector `nhs`, 2 NHS organisations per region: a
primary care trust and a mental health trust), regional civil servants (sector
`civil_service`, one offender health team per region) and two national civil servants
(`CS00`, region `National`). The conference aimed to connect each local prison with its
local NHS services. It was followed by **{n_follow} regional follow-up meetings** (2–3 per
region, April–August 2023, theme `regional_follow_up`) with partial attendance.

A **contact survey** asked everyone whom they work with just before the conference (wave
`baseline`, listed first) and about six months later (wave `follow-up`, September 2023).

Size: {n} people rows, {len(orgs)} organisations, {len(events)} events,
{len(attendance)} attendance rows, {len(contacts)} contact rows.
"""
    planted = f"""\
- Everyone attended the conference. Each person has an engagement level (Beta(2, 2),
  at least 0.6 for regional civil servants) and attends each of their own region's
  follow-up meetings with that probability: follow-up meetings attended per person
  range 0–3 (mean {float(dose[:n_real].mean()):.2f}).
- **Within-region prison–NHS ties rise, more for people who attended more follow-up
  meetings** (dose–response): tie probability 0.04 at baseline, 0.04 + 0.035 × (meetings
  attended by the two people together) at follow-up. Realised share of within-region
  prison–NHS pairs tied: {_pct(rate[0][0])} at baseline, {_pct(rate[1][0])} at follow-up.
- Cross-region prison–NHS ties stay rare ({_pct(rate[0][1])} → {_pct(rate[1][1])} of pairs;
  probability 0.005). Ties within a sector are stable (same organisation 0.5, same sector
  and region 0.12, same sector across regions 0.015, governors with each other 0.06);
  regional civil servants with local prisons and NHS 0.15 → 0.18.
- Survey noise: respondents name an existing tie with probability 0.8; 70% of
  relationships persist between waves, the rest are redrawn.
- **Non-response**: about 13% of people did not answer each wave ({silent["baseline"]} at
  baseline, {silent["follow-up"]} at follow-up name no one); they can still be named by
  others.
- {n_blank} people have a blank sector and inherit their organisation's.
"""
    messiness = [
        (
            f'`people.csv` row {_row_no(messy_sector)}: sector written `"Prison "` (capital, '
            "trailing space) — normalised to `prison`."
        ),
        (
            f"`people.csv` row {_row_no(dup)}: `G. Llewellyn` (`{ids[dup]}`) is very likely "
            f"`Gareth Llewellyn` (`{ids[dup_of]}`, row {_row_no(dup_of)}) of the same "
            "organisation, who signed one regional register with his initial — flagged as a "
            "possible duplicate, not merged. (So the people table has one row more than the "
            f"{n_real} real people.)"
        ),
        (
            f"`attendance.csv` rows {_row_no(200)} and {_row_no(201)}: exact duplicate "
            f"(`{dup_att['event_id']}`, `{dup_att['person_id']}`) — kept once."
        ),
        (
            f"`contacts.csv` row {self_row['row']}: `{self_row['source']}` names themself in wave "
            f"`{self_row['wave']}` — a self-contact, dropped."
        ),
    ]
    sample.readme = _readme("prison_health", body, planted, messiness)
    return sample


# --------------------------------------------------------------------------- chief executives

_NHS_REGIONS = (
    "North East and Yorkshire",
    "North West",
    "Midlands",
    "East of England",
    "London",
    "South East",
    "South West",
)


def _chief_executives() -> _Sample:
    rng = np.random.default_rng(3303)
    names, places = _Names(rng), _Places(rng)
    sample = _Sample()
    orgs, people = sample.tables["organisations"], sample.tables["people"]

    trust_types = {
        "ambulance": (10, "Ambulance Service NHS Trust"),
        "acute": (16, "Hospitals NHS Foundation Trust"),
        "mental_health": (10, "Mental Health NHS Trust"),
        "primary_care": (12, "Primary Care Trust"),
    }
    for ttype, (count, label) in trust_types.items():
        regions = [_NHS_REGIONS[i % 7] for i in rng.permutation(count)]
        for place, region in zip(places.take(count), regions, strict=True):
            orgs.append(
                {
                    "organisation_id": f"T{len(orgs) + 1:02d}",
                    "name": f"{place} {label}",
                    "sector": "nhs",
                    "type": ttype,
                    "region": region,
                }
            )
    others = {
        "local_authority": (7, "County Council", "council", "council_director"),
        "police": (5, "Police", "police_force", "police_chief"),
        "voluntary": (7, "Council for Voluntary Service", "charity", "voluntary_sector_leader"),
    }
    prefix = {"local_authority": "LA", "police": "POL", "voluntary": "VOL"}
    for sector, (count, label, otype, _) in others.items():
        regions = [_NHS_REGIONS[i % 7] for i in rng.permutation(count)]
        for k, (place, region) in enumerate(zip(places.take(count), regions, strict=True), 1):
            orgs.append(
                {
                    "organisation_id": f"{prefix[sector]}{k:02d}",
                    "name": f"{place} {label}",
                    "sector": sector,
                    "type": otype,
                    "region": region,
                }
            )

    for org in orgs:
        oid, sector = org["organisation_id"], org["sector"]
        if sector == "nhs":
            roles = [f"{org['type']}_chief_executive"]
        else:
            roles = [others[sector][3]] * (2 if rng.random() < 0.45 else 1)
        for j, r in enumerate(roles):
            if oid == "VOL03" and j == 0:
                name = names.take(oid, "Helen Barker")
            else:
                name = names.new(oid, "Dr" if rng.random() < 0.12 else "")
            people.append(
                {
                    "person_id": f"P{len(people) + 1:03d}",
                    "name": name,
                    "organisation_id": oid,
                    "sector": sector,
                    "role": r,
                    "region": org["region"],
                }
            )
    n_blank = _blank_some_sectors(rng, people, 0.1)
    n_real = len(people)
    dup_of = next(i for i, p in enumerate(people) if p["name"] == "Helen Barker")
    people.append({**people[dup_of], "person_id": f"P{n_real + 1:03d}", "name": "HELEN  BARKER"})
    dup = n_real
    messy_sector = 5
    people[messy_sector]["sector"] = "NHS"

    n = len(people)
    ids = [p["person_id"] for p in people]
    org_sector = {o["organisation_id"]: o["sector"] for o in orgs}
    org_type = {o["organisation_id"]: o["type"] for o in orgs}
    org = np.array([p["organisation_id"] for p in people])
    sector = np.array([org_sector[o] for o in org])
    ttype = np.array([org_type[o] for o in org])
    region = np.array([p["region"] for p in people])
    ce = sector == "nhs"
    other = ~ce
    other[dup] = False

    topics = (
        "system pressures",
        "winter planning",
        "workforce",
        "urgent care",
        "working with local partners",
        "population health",
    )
    days = [
        date(2021, 3, 11),
        date(2021, 10, 14),
        date(2022, 3, 10),
        date(2022, 10, 13),
        date(2023, 3, 9),
        date(2023, 10, 12),
    ]
    event_ids = [f"E{k:02d}" for k in range(1, 7)]
    for k, (eid, day, topic) in enumerate(zip(event_ids, days, topics, strict=True), 1):
        sample.tables["events"].append(
            {
                "event_id": eid,
                "date": _iso(day),
                "title": f"Chief executives' meeting {k}: {topic}",
                "theme": "network_meeting",
                "programme": "chief_executive_network",
            }
        )
    # local others are invited in a random order, more at each meeting; once invited they
    # keep coming (85% of the time); chief executives come 80% of the time
    n_other = int(other.sum())
    invited_by = np.round(n_other * np.array([0.07, 0.17, 0.3, 0.5, 0.72, 1.0])).astype(int)
    order = rng.permutation(np.flatnonzero(other))
    first_event = np.full(n, 99)
    first_event[order] = np.searchsorted(invited_by, np.arange(len(order)), side="right")
    draw = rng.random((n, 6))
    present = np.zeros((n, 6), dtype=bool)
    for k in range(6):
        present[:, k] = np.where(
            ce, draw[:, k] < 0.8, (first_event == k) | ((first_event < k) & (draw[:, k] < 0.85))
        )
    present[dup] = False
    # the planted duplicate signed one register in capitals with a double space
    hers = np.flatnonzero(present[dup_of])
    present[dup_of, hers[-1]], present[dup, hers[-1]] = False, True
    share = ((present & ~ce[:, None]).sum(0)) / present.sum(0)
    if not np.all(np.diff(share) > 0):  # pragma: no cover - guarded by the seed
        raise RuntimeError(f"generator: other-sector share not increasing: {share}")
    attendance = _attendance_rows(event_ids, present, ids)
    dup_att = _plant_duplicate_attendance(attendance, 120)
    sample.tables["attendance"] = attendance

    # yearly contact survey each December; local others are surveyed once invited
    same_org = org[:, None] == org[None, :]
    same_region = region[:, None] == region[None, :]
    same_type = ttype[:, None] == ttype[None, :]
    both_ce = ce[:, None] & ce[None, :]
    ce_other = (ce[:, None] & other[None, :]) | (other[:, None] & ce[None, :])
    both_other = other[:, None] & other[None, :]
    probs, respond = [], []
    roster = []
    for year, last_event in ((0, 1), (1, 3), (2, 5)):
        joined = other & (first_event <= last_event)
        roster += [
            {"person_id": ids[k], "wave": str(2021 + year)} for k in np.flatnonzero(ce | joined)
        ]
        j = joined[:, None] | joined[None, :]
        jj = joined[:, None] & joined[None, :]
        p = np.full((n, n), 0.0)
        p = np.where(both_ce & same_type, 0.30 + 0.03 * year, p)
        p = np.where(both_ce & ~same_type & same_region, 0.12 + 0.04 * year, p)
        p = np.where(both_ce & ~same_type & ~same_region, 0.02 + 0.01 * year, p)
        p = np.where(ce_other & same_region, 0.08 + 0.25 * j, p)
        p = np.where(ce_other & ~same_region, 0.005 + 0.03 * j, p)
        p = np.where(both_other & same_region, 0.25, p)
        p = np.where(both_other & ~same_region, 0.02 + 0.05 * jj, p)
        p = np.where(same_org, 0.8, p)
        p[dup, :] = p[:, dup] = 0.0
        probs.append(p)
        respond.append(np.where(ce, 0.92, np.where(joined, 0.85, 0.0)))
    contacts, _, answered = _survey(
        rng,
        ids,
        probs,
        ("2021", "2022", "2023"),
        ((date(2021, 12, 1), 14), (date(2022, 12, 1), 14), (date(2023, 12, 1), 14)),
        respond=respond,
        report=0.85,
        persistence=0.75,
        strong=same_org,
    )
    self_row = _plant_self_contact(contacts, ids[12], "2022")
    sample.tables["contacts"] = contacts
    sample.tables["respondents"] = answered
    sample.tables["roster"] = roster

    n_ce = int(ce.sum())
    shares = ", ".join(_pct(float(s)) for s in share)
    body = f"""\
## Scenario

A national network of **{n_ce} NHS trust chief executives** by trust type —
ambulance (10), acute (16), mental health (10) and primary care (12); sector `nhs`, the
trust type in `organisations.type` and in the person's `role` (e.g.
`ambulance_chief_executive`) — meeting **twice a year for three years** (6 meetings,
March and October 2021–2023). From the first meeting the network gradually invites
**"significant local others"** from other sectors: council directors (`local_authority`),
police chiefs (`police`) and voluntary sector leaders (`voluntary`), {int(other.sum())} people
from {sum(v[0] for v in others.values())} organisations in the same seven regions.

A **contact survey** each December asks members whom they work with (waves `2021`,
`2022`, `2023`). Local others are surveyed from the year they are first invited.
`roster.csv` lists who belonged to the network at each wave (every chief executive, and
each local other from the year of the first meeting they were invited to), so models of
the network's change can tell people who had not yet joined from people who did not
answer.

Size: {n} people rows, {len(orgs)} organisations, 6 events, {len(attendance)} attendance
rows, {len(contacts)} contact rows.
"""
    planted = f"""\
- Chief executives attend each meeting with probability 0.8. Local others are invited
  in a random order, cumulatively {", ".join(map(str, invited_by[:-1]))} and
  {invited_by[-1]} by meetings 1–6 (all of them by the last); once invited they attend
  85% of later meetings.
- **The share of attendees from other sectors grows at every meeting**: {shares}.
- Ties between chief executives of the same trust type 0.30 → 0.36 over the three waves,
  of different types in the same region 0.12 → 0.20, across regions 0.02 → 0.04.
  Chief executive–local other ties in the same region 0.08, or 0.33 once the local other
  has joined the network (0.005 / 0.035 across regions); local others in one region 0.25.
- Survey noise: respondents name an existing tie with probability 0.85; 8% of chief
  executives and 15% of joined local others do not respond in a wave; 75% of
  relationships persist between waves.
- {n_blank} people have a blank sector and inherit their organisation's.
"""
    messiness = [
        (
            f"`people.csv` row {_row_no(messy_sector)}: sector written `NHS` (capitals) — "
            "normalised to `nhs`."
        ),
        (
            f"`people.csv` row {_row_no(dup)}: `HELEN  BARKER` (`{ids[dup]}`, capitals and a "
            f"double space) is very likely `Helen Barker` (`{ids[dup_of]}`, row "
            f"{_row_no(dup_of)}) of the same organisation, who signed one register that way — "
            "flagged as a possible duplicate, not merged."
        ),
        (
            f"`attendance.csv` rows {_row_no(120)} and {_row_no(121)}: exact duplicate "
            f"(`{dup_att['event_id']}`, `{dup_att['person_id']}`) — kept once."
        ),
        (
            f"`contacts.csv` row {self_row['row']}: `{self_row['source']}` names themself in wave "
            f"`{self_row['wave']}` — a self-contact, dropped."
        ),
    ]
    sample.readme = _readme("chief_executives", body, planted, messiness)
    return sample


_GENERATORS: dict[str, Callable[[], _Sample]] = {
    "cancer_networks": _cancer_networks,
    "chief_executives": _chief_executives,
    "prison_health": _prison_health,
}


def _render(name: str) -> dict[str, bytes]:
    """File name → bytes for one sample."""
    sample = _GENERATORS[name]()
    files = {
        f"{table}.csv": _csv_text(rows, _COLUMNS[table]).encode("utf-8")
        for table, rows in sample.tables.items()
    }
    files["README.md"] = sample.readme.encode("utf-8")
    return files


def _regenerate(out: Path, names: Sequence[str] = _SAMPLE_NAMES) -> list[Path]:
    """Write the samples under ``out/<name>/``; return the files written."""
    written = []
    for name in names:
        folder = out / name
        folder.mkdir(parents=True, exist_ok=True)
        for fname, content in _render(name).items():
            path = folder / fname
            path.write_bytes(content)
            written.append(path)
    return written


def _check(root: Path) -> list[str]:
    """Files under ``root`` that differ from a fresh generation (empty when identical)."""
    bad = []
    for name in _SAMPLE_NAMES:
        for fname, content in _render(name).items():
            path = root / name / fname
            if not path.is_file() or path.read_bytes() != content:
                bad.append(str(path))
    return bad


def _main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m connectnet.samples",
        description="Regenerate or check the synthetic sample datasets (seeded, byte-stable).",
    )
    action = parser.add_mutually_exclusive_group(required=True)
    action.add_argument("--regenerate", action="store_true", help="write the sample files")
    action.add_argument(
        "--check", action="store_true", help="compare a fresh generation with the files"
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=None,
        help="target folder (default: data/samples of the source checkout)",
    )
    args = parser.parse_args(argv)
    out = args.out
    if out is None:
        if not _repo_root().parent.parent.joinpath("pyproject.toml").is_file():
            parser.error("not running from a source checkout: pass --out DIR")
        out = _repo_root()
    if args.check:
        bad = _check(out)
        for path in bad:
            print(f"differs: {path}", file=sys.stderr)
        print("samples up to date" if not bad else f"{len(bad)} file(s) differ")
        return 1 if bad else 0
    written = _regenerate(out)
    print(f"wrote {len(written)} files under {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(_main())
