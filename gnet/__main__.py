"""``python -m gnet`` / the ``gnet`` console script (see :mod:`gnet.cli`)."""

import sys

from .cli.main import main

if __name__ == '__main__':
    sys.exit(main())
