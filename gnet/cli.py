"""The ``gnet`` command: small tools built on the public API.

Owns: argument parsing and the subcommands.  ``gnet echo`` runs the seed's
echo server and prints ``listening on <address>`` once it is ready.
"""

import argparse
import logging
import signal
import sys
from typing import List, Optional

import gnet

log = logging.getLogger('gnet.cli')


def _describe(address: object) -> str:
    if isinstance(address, dict):
        host = address['address']
        return '[%s]:%s' % (host, address['port']) if ':' in host else '%s:%s' % (host, address['port'])
    return str(address)


def run_echo(args: argparse.Namespace) -> int:
    def on_connection(conn: gnet.Socket) -> None:
        log.info('client connected')
        conn.on('end', lambda: log.info('client disconnected'))
        conn.write('hello\r\n')
        conn.pipe(conn)

    server = gnet.create_server(on_connection)
    failures: List[BaseException] = []

    def on_error(err: BaseException) -> None:
        failures.append(err)
        server.close()
    server.on('error', on_error)
    if args.path:
        server.listen(args.path)
    elif args.host:
        server.listen(args.port, args.host)
    else:
        server.listen(args.port)
    server.on('listening', lambda: print('listening on %s' % _describe(server.address()),
                                         flush=True))
    _stop_on_signals(server)
    gnet.run()
    if failures:
        print('gnet echo: %s' % failures[0], file=sys.stderr)
        return 1
    return 0


def _stop_on_signals(server: gnet.Server) -> None:
    import gevent

    def stop() -> None:
        server.shutdown(2000)
    for signum in (signal.SIGINT, signal.SIGTERM):
        gevent.signal_handler(signum, stop)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog='gnet', description="Node's net module on gevent.")
    parser.add_argument('-v', '--verbose', action='count', default=0,
                        help='log on the gnet logger (-v info, -vv debug)')
    sub = parser.add_subparsers(dest='command', metavar='COMMAND')
    sub.required = True
    echo = sub.add_parser('echo', help="run the seed's echo server")
    echo.add_argument('--port', type=int, default=8124, help='TCP port (default 8124)')
    echo.add_argument('--host', default=None, help='address to bind (default: all)')
    echo.add_argument('--path', default=None, help='Unix socket path instead of TCP')
    echo.set_defaults(func=run_echo)
    return parser


def main(argv: Optional[List[str]] = None) -> int:
    args = build_parser().parse_args(argv)
    if args.verbose:
        logging.basicConfig(level=logging.DEBUG if args.verbose > 1 else logging.INFO,
                            format='%(asctime)s %(name)s %(message)s')
    return args.func(args)
