"""The ``gnet`` command (also ``python -m gnet``): small tools on the public API.

Owns: the top-level parser (with ``--version``), ``main()`` and its exit
statuses, and the small ``echo`` subcommand.  ``proxy`` lives in
:mod:`gnet.cli.proxy`, ``connect`` in :mod:`gnet.cli.connect`, what they
share in :mod:`gnet.cli.common`.

- ``gnet echo``: the seed's echo server; prints ``listening on <address>``,
  then ``client connected <peer>`` / ``client disconnected <peer>``.
- ``gnet proxy LISTEN TARGET``: a TCP/Unix proxy (backpressure, half-close),
  terminating and/or originating TLS with its ``--tls-*`` flags.
- ``gnet connect TARGET``: netcat (stdin to the socket, the socket to stdout);
  ``--tls`` makes it a small ``openssl s_client``.

The TLS flags become :mod:`gnet.tls` options in :mod:`gnet.cli.tls_options`.

The benchmarks are not a subcommand: they need the source tree (a C load
generator, Node and raw-gevent peers), so they run as ``python bench/run.py``
from a checkout.

Exit statuses: 0 success (also after SIGINT/SIGTERM), 1 a runtime failure
(``gnet CMD: listen EADDRINUSE: ...``), 2 a usage error; each failure is one
line on stderr, never a traceback.
"""

import argparse
import logging
import platform
import sys
from typing import Any, Dict, List, Optional

import gevent

import gnet

from . import connect as cli_connect, proxy as cli_proxy
from .common import ArgParser, CommandFailed, grace_argument, peer_of, port_number, serve, setup_logging

__all__ = ['main', 'build_parser']

log: logging.Logger = logging.getLogger('gnet.cli')


def run_echo(args: argparse.Namespace) -> int:
    """The seed's echo server: greet, then send every byte back.

    As the seed's sample prints ``client connected`` and ``client
    disconnected``, this prints one line for each, naming the peer.
    """
    def on_connection(conn: gnet.Socket) -> None:
        peer = peer_of(conn)
        print('client connected %s' % peer, flush=True)
        conn.on('close', lambda _had_error: print('client disconnected %s' % peer, flush=True))
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


def version_line() -> str:
    """``gnet 0.2.0 (gevent 25.8.2, Python 3.11.2)``: what ``gnet --version`` prints."""
    return 'gnet %s (gevent %s, Python %s)' % (gnet.__version__, gevent.__version__,
                                                platform.python_version())


def build_parser() -> ArgParser:
    verbose = ArgParser(add_help=False)
    verbose.add_argument('-v', '--verbose', action='count', default=argparse.SUPPRESS,
                         help='log on the gnet logger to stderr (-v info, -vv debug)')
    parser = ArgParser(prog='gnet', parents=[verbose],
                       description="Node's net module on gevent: an echo server, a proxy "
                                   'and a netcat.')
    parser.add_argument('--version', action='version', version=version_line())
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

    return parser


def main(argv: Optional[List[str]] = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    setup_logging(getattr(args, 'verbose', 0))
    try:
        return int(args.func(args))
    except CommandFailed as exc:
        print('gnet %s: %s' % (args.command, exc), file=sys.stderr)
        return 1
    except KeyboardInterrupt:  # before the signal handlers were installed
        return 130

