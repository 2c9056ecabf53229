"""report — placeholder module; being implemented (see the open issue)."""

__all__ = ['run_report']


def run_report(*args, **kwargs):  # placeholder, replaced by the implementation
    raise NotImplementedError("run_report is not implemented yet")

