"""``python -m cli``: the ``petitions`` command line."""

import sys

from cli.main import main

sys.exit(main())
