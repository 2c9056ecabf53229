"""Command-line interface (being implemented)."""


def main(argv=None):  # placeholder
    raise NotImplementedError
