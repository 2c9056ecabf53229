"""connectnet: stakeholder network analysis for health and justice programmes.

Build networks of people and organisations from attendance registers and contact
surveys, measure cross-sector bridging and cohesion, test whether a network programme
changed connections, and draw offline interactive maps.

>>> import connectnet as cn
>>> data = cn.load_sample("prison_health")
>>> G = cn.coattendance_graph(data)
"""

from importlib.metadata import PackageNotFoundError, version

from connectnet.bridging import (
    EITestResult,
    assortativity,
    block_density,
    ei_index,
    ei_test,
    group_ei_index,
    homophily,
    mixing_matrix,
    node_ei_index,
    participation_coefficient,
    segregation,
)
from connectnet.brokers import (
    BrokerageResult,
    CrossSectorReach,
    bridging_risk,
    bridging_table,
    brokerage,
    cross_sector_reach,
    structural_holes,
)
from connectnet.build import (
    AttendanceSummary,
    attendance_graph,
    attendance_summary,
    coattendance_edges,
    coattendance_graph,
    contact_graph,
    organisation_graph,
    sector_graph,
    snapshots,
)
from connectnet.change import (
    BootstrapResult,
    ChangeTestResult,
    CUGResult,
    ExposureResult,
    QAPCorrelationResult,
    QAPRegressionResult,
    TrendTestResult,
    bootstrap_ci,
    change_trend_test,
    compare,
    cug_test,
    dyadic_covariate,
    ei_change_test,
    exposure_effect,
    group_ei_change_test,
    nonresponse_sensitivity,
    qap_correlation,
    qap_regression,
    tie_changes,
)
from connectnet.cohesion import (
    centralization,
    cohesion_summary,
    communities,
    core_periphery,
    fragmentation,
    partition_comparison,
)
from connectnet.data import (
    ABSENT_STATUSES,
    DataError,
    Dataset,
    read_attendance,
    read_contacts,
    read_dataset,
    read_events,
    read_organisations,
    read_people,
)
from connectnet.engine import LazyContacts, LazyDataset, scan_dataset
from connectnet.export import (
    neutralise_cell,
    write_gexf,
    write_graphml,
    write_tables,
)
from connectnet.maps import (
    MapView,
    NetworkMap,
    map_layout,
    network_map,
    show_map,
    write_map,
)
from connectnet.matching import (
    DEFAULT_MATCH_THRESHOLD,
    apply_matches,
    match_people,
)
from connectnet.plots import (
    plot_attendance,
    plot_change,
    plot_ei,
    plot_mixing,
    plot_network,
    plot_saom_gof,
)
from connectnet.privacy import (
    drop_names,
    pseudonym_codes,
    pseudonymise,
    suppress_small_counts,
)
from connectnet.report import (
    run_report,
)
from connectnet.samples import (
    list_samples,
    load_sample,
    sample_path,
)
from connectnet.saom import (
    SAOMGOF,
    SAOMResult,
    SAOMScoreTest,
    SAOMTimeTest,
    fit_saom,
    saom_gof,
    saom_missing,
    saom_score_test,
    saom_time_test,
)

try:
    __version__ = version("connectnet")
except PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0+unknown"

__all__ = [
    "ABSENT_STATUSES",
    "DEFAULT_MATCH_THRESHOLD",
    "SAOMGOF",
    "AttendanceSummary",
    "BootstrapResult",
    "BrokerageResult",
    "CUGResult",
    "ChangeTestResult",
    "CrossSectorReach",
    "DataError",
    "Dataset",
    "EITestResult",
    "ExposureResult",
    "LazyContacts",
    "LazyDataset",
    "MapView",
    "NetworkMap",
    "QAPCorrelationResult",
    "QAPRegressionResult",
    "SAOMResult",
    "SAOMScoreTest",
    "SAOMTimeTest",
    "TrendTestResult",
    "__version__",
    "apply_matches",
    "assortativity",
    "attendance_graph",
    "attendance_summary",
    "block_density",
    "bootstrap_ci",
    "bridging_risk",
    "bridging_table",
    "brokerage",
    "centralization",
    "change_trend_test",
    "coattendance_edges",
    "coattendance_graph",
    "cohesion_summary",
    "communities",
    "compare",
    "contact_graph",
    "core_periphery",
    "cross_sector_reach",
    "cug_test",
    "drop_names",
    "dyadic_covariate",
    "ei_change_test",
    "ei_index",
    "ei_test",
    "exposure_effect",
    "fit_saom",
    "fragmentation",
    "group_ei_change_test",
    "group_ei_index",
    "homophily",
    "list_samples",
    "load_sample",
    "map_layout",
    "match_people",
    "mixing_matrix",
    "network_map",
    "neutralise_cell",
    "node_ei_index",
    "nonresponse_sensitivity",
    "organisation_graph",
    "participation_coefficient",
    "partition_comparison",
    "plot_attendance",
    "plot_change",
    "plot_ei",
    "plot_mixing",
    "plot_network",
    "plot_saom_gof",
    "pseudonym_codes",
    "pseudonymise",
    "qap_correlation",
    "qap_regression",
    "read_attendance",
    "read_contacts",
    "read_dataset",
    "read_events",
    "read_organisations",
    "read_people",
    "run_report",
    "sample_path",
    "saom_gof",
    "saom_missing",
    "saom_score_test",
    "saom_time_test",
    "scan_dataset",
    "sector_graph",
    "segregation",
    "show_map",
    "snapshots",
    "structural_holes",
    "suppress_small_counts",
    "tie_changes",
    "write_gexf",
    "write_graphml",
    "write_map",
    "write_tables",
]
