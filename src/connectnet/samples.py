"""samples — placeholder; being implemented (see the foundation issue)."""

__all__ = ["list_samples", "load_sample"]


def list_samples(*args, **kwargs):  # placeholder
    raise NotImplementedError("list_samples is not implemented yet")


def load_sample(*args, **kwargs):  # placeholder
    raise NotImplementedError("load_sample is not implemented yet")
