"""`python -m bot.cli`: the console script without its installed wrapper (tests, benchmarks)."""

import sys

from bot.cli.main import main

sys.exit(main())
