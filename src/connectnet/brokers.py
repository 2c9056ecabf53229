"""brokers — placeholder module; being implemented (see the open issue)."""

__all__ = ['brokerage', 'structural_holes', 'cross_sector_reach', 'bridging_table', 'bridging_risk']


def brokerage(*args, **kwargs):  # placeholder, replaced by the implementation
    raise NotImplementedError("brokerage is not implemented yet")


def structural_holes(*args, **kwargs):  # placeholder, replaced by the implementation
    raise NotImplementedError("structural_holes is not implemented yet")


def cross_sector_reach(*args, **kwargs):  # placeholder, replaced by the implementation
    raise NotImplementedError("cross_sector_reach is not implemented yet")


def bridging_table(*args, **kwargs):  # placeholder, replaced by the implementation
    raise NotImplementedError("bridging_table is not implemented yet")


def bridging_risk(*args, **kwargs):  # placeholder, replaced by the implementation
    raise NotImplementedError("bridging_risk is not implemented yet")

