"""maps — placeholder module; being implemented (see the open issue)."""

__all__ = ['network_map', 'write_map', 'show_map']


def network_map(*args, **kwargs):  # placeholder, replaced by the implementation
    raise NotImplementedError("network_map is not implemented yet")


def write_map(*args, **kwargs):  # placeholder, replaced by the implementation
    raise NotImplementedError("write_map is not implemented yet")


def show_map(*args, **kwargs):  # placeholder, replaced by the implementation
    raise NotImplementedError("show_map is not implemented yet")

