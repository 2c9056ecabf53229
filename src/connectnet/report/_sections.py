"""The one list of report sections: page order, and how each is computed and rendered.

To add a section, write ``compute_<key>(rd) -> result`` in ``_compute.py`` (figures into
``rd``; raise ``SectionUnavailable`` when the data cannot support it), ``render_<key>(rd,
result, section)`` (and optionally ``findings_<key>(rd, result) -> list[str]``) in
``_render.py``, and add one :class:`SectionSpec` to :data:`SECTIONS` where it should appear
on the page.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from connectnet.report import _compute as c
from connectnet.report import _render as r
from connectnet.report._data import Finding, ReportData
from connectnet.report._html import Section

__all__: list[str] = []


@dataclass(frozen=True)
class SectionSpec:
    """A report section: its anchor in index.html, title, compute and render functions."""

    key: str
    title: str | Callable[[ReportData], str]
    compute: Callable[[ReportData], Any]
    render: Callable[[ReportData, Any, Section], None]
    findings: Callable[[ReportData, Any], list[Finding]] | None = None
    findings_rank: int = 50  # key findings are listed by rank, then in page order

    def title_for(self, rd: ReportData) -> str:
        return self.title if isinstance(self.title, str) else self.title(rd)


SECTIONS: tuple[SectionSpec, ...] = (
    SectionSpec("overview", "Overview", c.compute_overview, r.render_overview),
    SectionSpec(
        "load-report",
        "Load report: what was fixed, flagged or dropped",
        c.compute_load_report,
        r.render_load_report,
    ),
    SectionSpec(
        "attendance",
        "Attendance",
        c.compute_attendance,
        r.render_attendance,
        r.findings_attendance,
        findings_rank=5,  # a dominant event changes how every co-attendance figure reads
    ),
    SectionSpec(
        "metrics",
        "Cohesion and bridging",
        c.compute_metrics,
        r.render_metrics,
        r.findings_metrics,
    ),
    SectionSpec(
        "focal",
        lambda rd: (
            "Focal question"
            + (f": {rd.source_group} → {rd.target_group}" if rd.source_group is not None else "")
        ),
        c.compute_focal,
        r.render_focal,
        r.findings_focal,
        findings_rank=10,  # the answer to the focal question comes first
    ),
    SectionSpec(
        "bridgers",
        "Key bridgers and succession risk",
        c.compute_bridgers,
        r.render_bridgers,
        r.findings_bridgers,
    ),
    SectionSpec(
        "structure",
        "Structure: communities and core–periphery",
        c.compute_structure,
        r.render_structure,
    ),
    SectionSpec(
        "change", "Change between waves", c.compute_change, r.render_change, r.findings_change
    ),
    SectionSpec("provenance", "Provenance", c.compute_provenance, r.render_provenance),
)
