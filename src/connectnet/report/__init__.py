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
from collections.abc import Hashable, Iterator
from contextlib import contextmanager
from pathlib import Path

from connectnet._progress import progress_bar
from connectnet.data import Dataset
from connectnet.report._compute import build_graphs, prepare
from connectnet.report._data import ReportData, ReportOptions, SectionUnavailable
from connectnet.report._html import Section, page
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
    data: Dataset,
    out: str | Path,
    *,
    attr: str = "sector",
    source: Hashable | None = None,
    target: Hashable | None = None,
    within: str | None = None,
    hide_names: bool = False,
    salt: str | None = None,
    seed: int = 0,
    n_permutations: int = 1000,
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
        :func:`~connectnet.load_sample`).
    out
        Folder to write (created; existing report files are overwritten).
    attr
        Person attribute defining the groups (default ``"sector"``).
    source, target
        Focal groups for cross-sector reach and the change test, e.g. ``"prison"`` and
        ``"nhs"``. Default: prison → nhs when both exist, else the two largest groups.
    within
        Only count reach to targets with the same value of this attribute (e.g.
        ``"region"``).
    hide_names
        Replace person ids and names by pseudonymous codes everywhere (see
        :func:`~connectnet.pseudonymise`).
    salt
        Secret salt for the codes. Same salt, same codes across runs; by default a random
        salt is drawn, so codes differ between runs and cannot be linked.
    seed
        Seed for layouts and permutation tests.
    n_permutations
        Permutations per statistical test.
    progress
        Show progress bars on stderr: one over the report's steps, and one for each long
        inner loop (metrics per network, permutation tests, maps). The command line turns
        them on when stderr is a terminal, unless ``--quiet``.

    Returns
    -------
    pathlib.Path
        Path of ``OUT/index.html``. Also written: ``OUT/map.html``, ``OUT/tables/*.csv``,
        ``OUT/graph.gexf`` (and ``OUT/map-<first wave>.html`` with the same layout when
        there are two or more waves).

    Raises
    ------
    ValueError
        ``attr``, ``source``, ``target`` or ``within`` do not match the data.

    Examples
    --------
    >>> import tempfile, connectnet as cn
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     index = cn.run_report(cn.load_sample("prison_health"), tmp, n_permutations=99)
    ...     sorted(p.name for p in index.parent.iterdir())
    ['graph.gexf', 'index.html', 'map-baseline.html', 'map.html', 'tables']
    """
    options = ReportOptions(
        attr=attr,
        source=source,
        target=target,
        within=within,
        hide_names=hide_names,
        seed=int(seed),
        n_permutations=int(n_permutations),
        progress=bool(progress),
    )
    step = _Steps(options.progress, total=len(SECTIONS) + 2 + len(_WRITE_STEPS))
    try:
        rd = _compute(data, options, salt=salt, step=step)
        return _write(rd, Path(out), step)
    finally:
        step.close()


def _compute(
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
    return rd


_WRITE_STEPS = ("maps", "plots and sections", "tables", "graph.gexf", "index.html")


def _write(rd: ReportData, out: Path, step: _Steps) -> Path:
    """Render ReportData: the maps, tables, graph file and index.html."""
    from connectnet import export

    out.mkdir(parents=True, exist_ok=True)
    with step("maps"):
        links = write_maps(rd, out)
    findings: list[tuple[int, list[str]]] = []
    sections = []
    with step("plots and sections"):
        for spec in SECTIONS:
            section = Section(spec.title_for(rd), spec.key)
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
    headline.bullets([sentence for _, sentences in findings for sentence in sentences])
    headline.text(
        "Each finding is explained, with its method and the people compared, in the "
        "sections below."
    )
    with step("tables"):
        export.write_tables(rd.tables, out / "tables")
    with step("graph.gexf"):
        export.write_gexf(rd.main, out / "graph.gexf")
    links += [
        ("tables/", "every table behind this report (CSV)"),
        ("graph.gexf", "the network for Gephi"),
    ]
    index = out / "index.html"
    source = str(rd.data.source or "your data")
    with step("index.html"):
        index.write_text(
            page(source, [headline, *sections], links, rd.main_label), encoding="utf-8"
        )
    return index
