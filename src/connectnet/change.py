"""change — placeholder module; being implemented (see the open issue)."""

__all__ = ['compare', 'tie_changes', 'ei_change_test', 'qap_correlation', 'qap_regression', 'dyadic_covariate', 'exposure_effect']


def compare(*args, **kwargs):  # placeholder, replaced by the implementation
    raise NotImplementedError("compare is not implemented yet")


def tie_changes(*args, **kwargs):  # placeholder, replaced by the implementation
    raise NotImplementedError("tie_changes is not implemented yet")


def ei_change_test(*args, **kwargs):  # placeholder, replaced by the implementation
    raise NotImplementedError("ei_change_test is not implemented yet")


def qap_correlation(*args, **kwargs):  # placeholder, replaced by the implementation
    raise NotImplementedError("qap_correlation is not implemented yet")


def qap_regression(*args, **kwargs):  # placeholder, replaced by the implementation
    raise NotImplementedError("qap_regression is not implemented yet")


def dyadic_covariate(*args, **kwargs):  # placeholder, replaced by the implementation
    raise NotImplementedError("dyadic_covariate is not implemented yet")


def exposure_effect(*args, **kwargs):  # placeholder, replaced by the implementation
    raise NotImplementedError("exposure_effect is not implemented yet")

