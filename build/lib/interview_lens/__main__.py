import sys

from interview_lens.cli import main

sys.exit(main())
