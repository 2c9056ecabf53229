"""cohesion — placeholder module; being implemented (see the open issue)."""

__all__ = ['cohesion_summary', 'fragmentation', 'centralization', 'communities', 'partition_comparison', 'core_periphery']


def cohesion_summary(*args, **kwargs):  # placeholder, replaced by the implementation
    raise NotImplementedError("cohesion_summary is not implemented yet")


def fragmentation(*args, **kwargs):  # placeholder, replaced by the implementation
    raise NotImplementedError("fragmentation is not implemented yet")


def centralization(*args, **kwargs):  # placeholder, replaced by the implementation
    raise NotImplementedError("centralization is not implemented yet")


def communities(*args, **kwargs):  # placeholder, replaced by the implementation
    raise NotImplementedError("communities is not implemented yet")


def partition_comparison(*args, **kwargs):  # placeholder, replaced by the implementation
    raise NotImplementedError("partition_comparison is not implemented yet")


def core_periphery(*args, **kwargs):  # placeholder, replaced by the implementation
    raise NotImplementedError("core_periphery is not implemented yet")

