"""Run the command line: ``python -m connectnet``."""

import sys

from connectnet.cli import main

sys.exit(main())
