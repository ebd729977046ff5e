import sys

from gwshift.verify.cli import main

sys.exit(main(sys.argv[1:]))
