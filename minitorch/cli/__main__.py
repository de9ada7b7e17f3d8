"""``python -m minitorch.cli ...`` is the ``minitorch`` command."""

import sys

from .main import main

sys.exit(main())
