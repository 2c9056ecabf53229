"""``python -m connectnet``: the same command as ``connectnet`` (see :mod:`connectnet.cli`)."""

import sys

from connectnet.cli import main

sys.exit(main())
