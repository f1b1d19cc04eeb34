"""``python -m bargain``: the command line (see :mod:`bargain.cli`)."""

import sys

from .cli import main

sys.exit(main())
