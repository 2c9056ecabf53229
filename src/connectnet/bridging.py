"""bridging — placeholder module; being implemented (see the open issue)."""

__all__ = ['ei_index', 'group_ei_index', 'node_ei_index', 'ei_test', 'mixing_matrix', 'block_density', 'assortativity', 'homophily', 'segregation', 'participation_coefficient']


def ei_index(*args, **kwargs):  # placeholder, replaced by the implementation
    raise NotImplementedError("ei_index is not implemented yet")


def group_ei_index(*args, **kwargs):  # placeholder, replaced by the implementation
    raise NotImplementedError("group_ei_index is not implemented yet")


def node_ei_index(*args, **kwargs):  # placeholder, replaced by the implementation
    raise NotImplementedError("node_ei_index is not implemented yet")


def ei_test(*args, **kwargs):  # placeholder, replaced by the implementation
    raise NotImplementedError("ei_test is not implemented yet")


def mixing_matrix(*args, **kwargs):  # placeholder, replaced by the implementation
    raise NotImplementedError("mixing_matrix is not implemented yet")


def block_density(*args, **kwargs):  # placeholder, replaced by the implementation
    raise NotImplementedError("block_density is not implemented yet")


def assortativity(*args, **kwargs):  # placeholder, replaced by the implementation
    raise NotImplementedError("assortativity is not implemented yet")


def homophily(*args, **kwargs):  # placeholder, replaced by the implementation
    raise NotImplementedError("homophily is not implemented yet")


def segregation(*args, **kwargs):  # placeholder, replaced by the implementation
    raise NotImplementedError("segregation is not implemented yet")


def participation_coefficient(*args, **kwargs):  # placeholder, replaced by the implementation
    raise NotImplementedError("participation_coefficient is not implemented yet")

