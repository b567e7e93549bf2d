import sys

from pipeline.cli import main
from pipeline.core.process import set_up_process

set_up_process()

# Importing this module sets the process up and runs nothing: a test imports it to see
# what a run's process and its pool's workers are given (a spawned worker skips it).
if __name__ == "__main__":
    sys.exit(main())
