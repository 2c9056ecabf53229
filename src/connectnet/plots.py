"""plots — placeholder module; being implemented (see the open issue)."""

__all__ = ['plot_network', 'plot_mixing', 'plot_ei', 'plot_change', 'plot_attendance']


def plot_network(*args, **kwargs):  # placeholder, replaced by the implementation
    raise NotImplementedError("plot_network is not implemented yet")


def plot_mixing(*args, **kwargs):  # placeholder, replaced by the implementation
    raise NotImplementedError("plot_mixing is not implemented yet")


def plot_ei(*args, **kwargs):  # placeholder, replaced by the implementation
    raise NotImplementedError("plot_ei is not implemented yet")


def plot_change(*args, **kwargs):  # placeholder, replaced by the implementation
    raise NotImplementedError("plot_change is not implemented yet")


def plot_attendance(*args, **kwargs):  # placeholder, replaced by the implementation
    raise NotImplementedError("plot_attendance is not implemented yet")

