import sys

from pipeline.cli import main
from pipeline.core.process import set_up_process

set_up_process()

# The guard matters where the pool starts its workers by importing this module
# again (Windows has no fork).
if __name__ == "__main__":
    sys.exit(main())
