"""build — placeholder module; being implemented (see the open issue)."""

__all__ = ['attendance_graph', 'coattendance_graph', 'coattendance_edges', 'contact_graph', 'organisation_graph', 'sector_graph', 'snapshots', 'attendance_summary']


def attendance_graph(*args, **kwargs):  # placeholder, replaced by the implementation
    raise NotImplementedError("attendance_graph is not implemented yet")


def coattendance_graph(*args, **kwargs):  # placeholder, replaced by the implementation
    raise NotImplementedError("coattendance_graph is not implemented yet")


def coattendance_edges(*args, **kwargs):  # placeholder, replaced by the implementation
    raise NotImplementedError("coattendance_edges is not implemented yet")


def contact_graph(*args, **kwargs):  # placeholder, replaced by the implementation
    raise NotImplementedError("contact_graph is not implemented yet")


def organisation_graph(*args, **kwargs):  # placeholder, replaced by the implementation
    raise NotImplementedError("organisation_graph is not implemented yet")


def sector_graph(*args, **kwargs):  # placeholder, replaced by the implementation
    raise NotImplementedError("sector_graph is not implemented yet")


def snapshots(*args, **kwargs):  # placeholder, replaced by the implementation
    raise NotImplementedError("snapshots is not implemented yet")


def attendance_summary(*args, **kwargs):  # placeholder, replaced by the implementation
    raise NotImplementedError("attendance_summary is not implemented yet")

