"""Run quiztui with `python -m quiztui`."""

import sys

from quiztui.cli import main

sys.exit(main())
