"""export — placeholder module; being implemented (see the open issue)."""

__all__ = ['write_gexf', 'write_graphml', 'write_tables']


def write_gexf(*args, **kwargs):  # placeholder, replaced by the implementation
    raise NotImplementedError("write_gexf is not implemented yet")


def write_graphml(*args, **kwargs):  # placeholder, replaced by the implementation
    raise NotImplementedError("write_graphml is not implemented yet")


def write_tables(*args, **kwargs):  # placeholder, replaced by the implementation
    raise NotImplementedError("write_tables is not implemented yet")

