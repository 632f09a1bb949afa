"""``python -m benchmarks`` from the project root: the same as ``interview-lens bench``."""
import sys

from benchmarks.run import main

sys.exit(main())
