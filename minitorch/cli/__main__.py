"""``python -m minitorch.cli ...`` is the ``minitorch`` command."""

import sys

from .commands import main

sys.exit(main())
