"""The ``gnet`` command (also ``python -m gnet``): small tools on the public API.

Owns: the top-level parser, ``main()`` and its exit statuses, and the two
small subcommands ``echo`` and ``bench``.  ``proxy`` lives in
:mod:`gnet.cli.proxy`, ``connect`` in :mod:`gnet.cli.connect`, what they
share in :mod:`gnet.cli.common`.

- ``gnet echo``: the seed's echo server; prints ``listening on <address>``.
- ``gnet proxy LISTEN TARGET``: a TCP/Unix proxy (backpressure, half-close).
- ``gnet connect TARGET``: netcat (stdin to the socket, the socket to stdout).
- ``gnet bench ...``: runs ``bench/run.py`` of a source checkout.

Exit statuses: 0 success (also after SIGINT/SIGTERM), 1 a runtime failure
(``gnet CMD: listen EADDRINUSE: ...``), 2 a usage error; each failure is one
line on stderr, never a traceback.
"""

import argparse
import logging
import os
import subprocess
import sys
from typing import Any, Dict, List, Optional

import gnet

from . import connect as cli_connect, proxy as cli_proxy
from .common import ArgParser, CommandFailed, grace_argument, peer_of, port_number, serve, setup_logging

__all__ = ['main', 'build_parser']

log: logging.Logger = logging.getLogger('gnet.cli')

#: where ``gnet bench`` looks for the benchmark driver, relative to the package's parent
BENCH_SCRIPT = os.path.join('bench', 'run.py')


def run_echo(args: argparse.Namespace) -> int:
    """The seed's echo server: greet, then send every byte back."""
    def on_connection(conn: gnet.Socket) -> None:
        peer = peer_of(conn)
        log.info('%s connected', peer)
        conn.on('end', lambda: log.info('%s disconnected', peer))
        conn.on('error', lambda err: log.info('%s: %s', peer, err))
        conn.write('hello\r\n')
        conn.pipe(conn)

    server = gnet.create_server(on_connection)
    where: Dict[str, Any]
    if args.path is not None:
        if args.host is not None:
            args.parser.error('--path and --host exclude each other')
        where = {'path': args.path}
    else:
        where = {'port': args.port}
        if args.host is not None:
            where['host'] = args.host
    serve(server, where, lambda: server.shutdown(args.grace),
          lambda: server.shutdown(0))
    return 0


def bench_script() -> Optional[str]:
    """``bench/run.py`` of the source tree this package was imported from, if any."""
    package_dir = os.path.dirname(os.path.abspath(gnet.__file__))
    script = os.path.join(os.path.dirname(package_dir), BENCH_SCRIPT)
    return script if os.path.isfile(script) else None


def run_bench(args: argparse.Namespace, extra: List[str]) -> int:
    script = bench_script()
    if script is None:
        print('gnet bench: bench/run.py is not here: the benchmarks ship with the source '
              'tree, not the installed package (run gnet from a checkout)', file=sys.stderr)
        return 2
    if extra[:1] == ['--']:
        extra = extra[1:]
    return subprocess.call([sys.executable, script] + extra)


def build_parser() -> ArgParser:
    verbose = ArgParser(add_help=False)
    verbose.add_argument('-v', '--verbose', action='count', default=argparse.SUPPRESS,
                         help='log on the gnet logger to stderr (-v info, -vv debug)')
    parser = ArgParser(prog='gnet', parents=[verbose],
                       description="Node's net module on gevent: an echo server, a proxy, "
                                   'a netcat, and the benchmarks.')
    sub = parser.add_subparsers(dest='command', metavar='COMMAND')
    sub.required = True

    echo = sub.add_parser('echo', parents=[verbose], help="run the seed's echo server",
                          description="The echo server of Node's net documentation: says "
                                      "'hello', then echoes every byte. Prints 'listening on "
                                      "<address>' when ready; SIGINT/SIGTERM end it cleanly.")
    echo.add_argument('--port', type=port_number, default=8124, help='TCP port (default 8124; 0: any)')
    echo.add_argument('--host', default=None, help='address to listen on (default: every one)')
    echo.add_argument('--path', default=None, help='listen on this Unix socket path instead')
    grace_argument(echo)
    echo.set_defaults(func=run_echo, parser=echo)

    cli_proxy.add_parser(sub, [verbose])
    cli_connect.add_parser(sub, [verbose])

    bench = sub.add_parser('bench', parents=[verbose], help='run bench/run.py (source tree only)',
                           description='Run bench/run.py of the source tree next to this '
                                       'package, passing it every other argument (use '
                                       "'gnet bench -- --help' for its own help).")
    bench.set_defaults(func=run_bench, parser=bench)
    return parser


def main(argv: Optional[List[str]] = None) -> int:
    parser = build_parser()
    args, extra = parser.parse_known_args(argv)
    setup_logging(getattr(args, 'verbose', 0))
    if args.command == 'bench':
        return run_bench(args, extra)
    if extra:
        args.parser.error('unrecognized arguments: %s' % ' '.join(extra))
    try:
        return int(args.func(args))
    except CommandFailed as exc:
        print('gnet %s: %s' % (args.command, exc), file=sys.stderr)
        return 1
    except KeyboardInterrupt:  # before the signal handlers were installed
        return 130

