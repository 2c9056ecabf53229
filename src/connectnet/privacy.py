"""privacy — placeholder module; being implemented (see the open issue)."""

__all__ = ['pseudonymise']


def pseudonymise(*args, **kwargs):  # placeholder, replaced by the implementation
    raise NotImplementedError("pseudonymise is not implemented yet")

