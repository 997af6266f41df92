"""``python -m gnet`` / the ``gnet`` console script.

Until the CLI issue lands this offers one subcommand, ``echo``: the seed's
echo server.
"""

import argparse
import sys
from typing import List, Optional


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog='gnet', description="Node's net for gevent")
    sub = parser.add_subparsers(dest='command', required=True)
    echo = sub.add_parser('echo', help="run the seed's echo server")
    echo.add_argument('--port', type=int, default=8124)
    echo.add_argument('--host', default=None)
    echo.add_argument('--path', default=None)
    args = parser.parse_args(argv)
    if args.command == 'echo':
        from examples_support import run_echo  # noqa: F401  (replaced by the CLI issue)
    return 0


if __name__ == '__main__':
    sys.exit(main())
