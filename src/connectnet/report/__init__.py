"""The whole job in one call: load → graphs → metrics → change tests → map, plots, tables, HTML.

:func:`run_report` is what ``connectnet report`` runs. It is two stages:

1. compute (``_compute.py``): every figure once, into a plain
   :class:`~connectnet.report._data.ReportData` (populations, graphs, metrics, tests, each
   headline number with its definition);
2. render (``_render.py``, ``_html.py``): sections, tables and key findings that only format
   that object.

The sections, in page order, are listed once in ``_sections.py``. The HTML report is
self-contained (plots embedded as images, no scripts or links to other sites) and every
value from the data is escaped.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Hashable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import pandas as pd

from connectnet._output import report_folder
from connectnet._progress import progress_bar
from connectnet.data import Dataset
from connectnet.engine import LazyDataset
from connectnet.report._compute import build_graphs, prepare
from connectnet.report._data import Finding, ReportData, ReportOptions, SectionUnavailable
from connectnet.report._html import Section, page, without_attrs
from connectnet.report._organisations import organisation_report, too_many_people
from connectnet.report._render import write_maps
from connectnet.report._sections import SECTIONS

__all__ = ["run_report"]

logger = logging.getLogger(__name__)


class _Steps:
    """The report's steps: one progress bar over them (when enabled; inner loops show
    their own bars beneath it) and each step's wall-clock and CPU time.

    Every finished step is logged at DEBUG on ``connectnet.report`` with the record
    attribute ``report_step = (name, wall seconds, CPU seconds)``;
    ``benchmarks/bench_report.py`` reads the timings from there.
    """

    def __init__(self, enabled: bool, total: int) -> None:
        self.bar = progress_bar(total=total, desc="report", enabled=enabled, unit="step")
        self.timings: list[tuple[str, float, float]] = []

    @contextmanager
    def __call__(self, what: str) -> Iterator[None]:
        self.bar.set_description_str(what)
        wall, cpu = time.perf_counter(), time.process_time()
        yield
        took = (what, time.perf_counter() - wall, time.process_time() - cpu)
        self.timings.append(took)
        logger.debug("report step %r: %.3f s wall, %.3f s CPU", *took, extra={"report_step": took})
        self.bar.update(1)

    def close(self) -> None:
        self.bar.close()


def run_report(
    data: Dataset | LazyDataset,
    out: str | Path,
    *,
    attr: str = "sector",
    source: Hashable | None = None,
    target: Hashable | None = None,
    within: str | None = None,
    hide_names: bool = False,
    salt: str | None = None,
    keep_columns: Sequence[str] = (),
    suppress_below: int = 5,
    force: bool = False,
    seed: int = 0,
    n_permutations: int = 1000,
    max_event_size: int | None = None,
    exclude_events: Sequence[str] = (),
    model: bool = True,
    model_effects: Sequence[str] = (),
    json: bool = False,
    progress: bool = False,
) -> Path:
    """Run the whole analysis on ``data`` and write a report folder.

    Steps: the load report → co-attendance graph (when there is attendance) and one contact
    graph per survey wave (when there are contacts) → cohesion and bridging metrics → change
    tests between the first and last wave (two or more waves) → map, plots and tables.

    Parameters
    ----------
    data
        A :class:`~connectnet.Dataset` (from :func:`~connectnet.read_dataset` or
        :func:`~connectnet.load_sample`), or a :class:`~connectnet.LazyDataset` (from
        :func:`~connectnet.scan_dataset`): read into memory when it has at most
        ``MAX_PERSON_MAP_NODES`` (20,000) people, else reported at organisation level
        (organisation network, co-attendance and contact mixing between groups, computed
        in the engine; the page says so first).
    out
        Folder to write. The report is written into a temporary folder beside it and moved
        into place when complete; an earlier connectnet report there (recognised by its
        ``.connectnet-report`` marker file) is replaced entirely, so none of its files
        survive. A non-empty folder that is not a report is refused unless `force`.
    attr
        Person attribute defining the groups (default ``"sector"``).
    source, target
        Focal groups for cross-sector reach and the change test, e.g. ``"prison"`` and
        ``"nhs"``. Default: prison → nhs when both exist, else the two largest groups.
    within
        Only count reach to targets with the same value of this attribute (e.g.
        ``"region"``).
    hide_names
        Replace person ids and names by pseudonymous codes everywhere and remove every
        other person column except ``sector``, ``organisation_id``, `attr`, `within` and
        `keep_columns` (see :func:`~connectnet.pseudonymise`); counts of fewer than
        `suppress_below` people in published tables are shown as ``<5``.
    salt
        Secret salt for the codes. Same salt, same codes across runs; by default a random
        salt is drawn, so codes differ between runs and cannot be linked.
    keep_columns
        With `hide_names`, further person columns to keep (e.g. ``("role",)``).
    suppress_below
        With `hide_names`, the small-count threshold (default 5; 0 suppresses nothing).
    force
        Replace a non-empty `out` folder that is not a connectnet report.
    seed
        Seed for layouts and permutation tests.
    n_permutations
        Permutations per statistical test.
    max_event_size
        Leave events with more than this many attendees out of the co-attendance network
        (as :func:`~connectnet.coattendance_graph`). Without it, an event attended by
        more than half of the people is kept, flagged, and a second network
        "co-attendance without <event>" is analysed beside it.
    exclude_events
        Event ids to leave out of the co-attendance network.
    model
        With two or more contact waves, fit a stochastic actor-oriented model (section
        "Did taking part predict new ties?"; see :func:`~connectnet.fit_saom`). Skipped,
        with a sentence, above 2,000 actors.
    model_effects
        The model's effects as RSiena short names, ``"name"`` or ``"name:covariate"``
        (e.g. ``("density", "recip", "sameX:region", "X:coattendance")``); default
        density, recip, transTrip, ``sameX`` of `attr` and of `within`, and ``X`` of
        co-attendance at the events held between the first and the last wave.
    json
        Also write ``OUT/report.json``: every headline figure with its definition
        (population, what a tie is, the table it comes from), the key findings and the
        provenance, for other tools (no graphs, no person tables).
    progress
        Show progress bars on stderr: one over the report's steps, and one for each long
        inner loop (metrics per network, permutation tests, maps). The command line turns
        them on when stderr is a terminal, unless ``--quiet``.

    Returns
    -------
    pathlib.Path
        Path of ``OUT/index.html``. Also written: ``OUT/map.html`` (the explorer: every
        wave on one layout, people and organisations), ``OUT/tables/*.csv`` and
        ``OUT/graph.gexf``.

    Raises
    ------
    ValueError
        ``attr``, ``source``, ``target``, ``within`` or ``exclude_events`` do not match
        the data (group labels match whatever their case or spacing).
    OSError
        `out` is a file or a non-empty folder that is not a report (without `force`), or
        the file system refuses (name too long, no permission).

    Examples
    --------
    >>> import tempfile, connectnet as cn
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     data = cn.load_sample("prison_health")
    ...     index = cn.run_report(data, tmp, n_permutations=99, model=False)
    ...     sorted(p.name for p in index.parent.iterdir())
    ['.connectnet-report', 'graph.gexf', 'index.html', 'map.html', 'tables']
    """
    if isinstance(data, LazyDataset):  # from scan_dataset: organisations when too many people
        if too_many_people(data):
            return organisation_report(data, out, attr=attr, force=force)
        data = data.collect()
    options = ReportOptions(
        attr=attr,
        source=source,
        target=target,
        within=within,
        hide_names=hide_names,
        seed=int(seed),
        n_permutations=int(n_permutations),
        max_event_size=max_event_size,
        exclude_events=tuple(exclude_events),
        model=bool(model),
        model_effects=tuple(model_effects),
        keep_columns=tuple(keep_columns),
        suppress_below=int(suppress_below),
        progress=bool(progress),
    )
    step = _Steps(options.progress, total=len(SECTIONS) + 2 + len(_WRITE_STEPS))
    try:
        rd = _compute_report(data, options, salt=salt, step=step)
        with report_folder(out, force=force) as tmp:
            _write(rd, tmp, step, json=json)
    finally:
        step.close()
    return Path(out) / "index.html"


def _compute_report(
    data: Dataset, options: ReportOptions, *, salt: str | None, step: _Steps
) -> ReportData:
    """Every section's figures, computed once into a ReportData."""
    with step("checking the data"):
        rd = prepare(data, options, salt=salt)
    with step("building graphs"):
        build_graphs(rd)
    for spec in SECTIONS:
        with step(spec.title_for(rd).split(":")[0].lower()):
            try:
                rd.results[spec.key] = spec.compute(rd)
            except SectionUnavailable as why:
                rd.unavailable[spec.key] = str(why)
            except ValueError as exc:  # the data cannot support it: say why, go on
                logger.warning("report section %r left out: %s", spec.key, exc)
                rd.unavailable[spec.key] = f"This section could not be computed: {exc}"
    return rd


_WRITE_STEPS = ("maps", "plots and sections", "tables", "graph.gexf", "index.html")


def _write(rd: ReportData, out: Path, step: _Steps, *, json: bool) -> Path:
    """Render ReportData: the maps, tables, graph file and index.html."""
    from connectnet import export

    published = _SmallCounts(rd)
    with step("maps"):
        links = write_maps(rd, out)
    findings: list[tuple[int, list[Finding]]] = []
    sections = []
    with step("plots and sections"):
        for spec in SECTIONS:
            section = Section(spec.title_for(rd), spec.key, published=published)
            if spec.key in rd.unavailable:
                section.text(rd.unavailable[spec.key])
            else:
                result = rd.results[spec.key]
                spec.render(rd, result, section)
                if spec.findings is not None:
                    findings.append((spec.findings_rank, spec.findings(rd, result)))
            sections.append(section)
    headline = Section("Key findings", "findings")
    findings.sort(key=lambda ranked: ranked[0])  # stable: page order within a rank
    rd.findings = [finding for _, ranked in findings for finding in ranked]
    headline.bullets([finding.text for finding in rd.findings])
    headline.text(
        "Each finding is explained, with its method and the people compared, in the "
        "sections below."
    )
    # attrs (lists of people in change tables) would be deep-copied by every pandas step
    # of writing: the files do not hold them, so the written tables drop them
    tables = {name: published(without_attrs(table)) for name, table in rd.tables.items()}
    if published.count:
        below = rd.options.suppress_below
        headline.text(
            f"Names are hidden, so counts of fewer than {below} people are shown as "
            f"'<{below}' in the tables of this report and its tables folder, as NHS "
            "statistical disclosure control expects (figures are not suppressed)."
        )
    with step("tables"):
        export.write_tables(tables, out / "tables")
    with step("graph.gexf"):
        export.write_gexf(rd.main, out / "graph.gexf")
    links += [
        ("tables/", "every table behind this report (CSV)"),
        ("graph.gexf", "the network for Gephi"),
    ]
    if json:
        import json as json_module

        text = json_module.dumps(rd.to_json(), indent=2, ensure_ascii=False)
        (out / "report.json").write_text(text + "\n", encoding="utf-8")
        links.append(("report.json", "every headline figure with its definition (JSON)"))
    index = out / "index.html"
    source = str(rd.data.source or "your data")
    with step("index.html"):
        index.write_text(
            page(source, [headline, *sections], links, rd.main_label), encoding="utf-8"
        )
    return index


class _SmallCounts:
    """With names hidden, suppress small counts in every aggregate table shown or written
    (a table indexed by people lists people, not counts, and is left as it is); counts
    the cells suppressed. Figures are drawn from the unsuppressed numbers."""

    def __init__(self, rd: ReportData) -> None:
        self.below = rd.options.suppress_below if rd.options.hide_names else 0
        self.people = set(rd.data.people.index)
        self.count = 0

    def __call__(self, frame: pd.DataFrame) -> pd.DataFrame:
        if self.below <= 1 or frame.empty or self.people & set(frame.index):
            return frame
        from connectnet.privacy import suppress_small_counts

        out = suppress_small_counts(frame, below=self.below)
        self.count += out.attrs["suppressed"]
        return out
