"""What the ``gnet`` subcommands share: endpoints, errors, serving, signals.

Owns: parsing ``PORT`` / ``HOST:PORT`` / ``[V6]:PORT`` / Unix path arguments,
describing addresses the way the commands print them, the one-line argument
parser, the exit-status exceptions, and :func:`serve` -- listen, print
``listening on <address>``, run the loop, stop gracefully on SIGINT/SIGTERM.
Must not import: the subcommand modules (they import this one).

Exit statuses: 0 success (a signal-initiated stop is a success), 1 a runtime
failure such as ``EADDRINUSE`` or ``ECONNREFUSED`` (one line on stderr), 2 a
usage error (one line on stderr).  A user mistake never prints a traceback.
"""

import argparse
import logging
import signal
import sys
from typing import Any, Callable, Dict, List, NoReturn

import gnet

from .. import errors

__all__ = ['CommandFailed', 'ArgParser', 'Endpoint', 'endpoint', 'target_endpoint', 'describe',
           'peer_of', 'port_number', 'milliseconds', 'serve', 'on_stop_signals', 'setup_logging',
           'grace_argument', 'is_decimal']

log: logging.Logger = logging.getLogger('gnet.cli')

#: how long open connections may take to finish after SIGINT/SIGTERM (ms)
DEFAULT_GRACE_MS = 5000

Endpoint = Dict[str, Any]


class CommandFailed(Exception):
    """A runtime failure: ``main`` prints ``gnet CMD: <message>`` and exits 1."""


class ArgParser(argparse.ArgumentParser):
    """argparse, but a usage error is one line on stderr and exit status 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, '%s: %s (see %s --help)\n' % (self.prog, message, self.prog))


def is_decimal(text: str) -> bool:
    """ASCII digits only (``str.isdigit`` also accepts '²', which ``int`` rejects)."""
    return text.isascii() and text.isdigit()


def port_number(text: str, minimum: int = 0) -> int:
    """An argparse type: a decimal port in ``minimum..65535``."""
    if not is_decimal(text) or not minimum <= int(text) <= 65535:
        raise argparse.ArgumentTypeError('invalid port %r (expected %d-65535)' % (text, minimum))
    return int(text)


def milliseconds(text: str) -> int:
    """An argparse type: a non-negative whole number of milliseconds."""
    if not is_decimal(text):
        raise argparse.ArgumentTypeError('invalid milliseconds %r (expected a whole number '
                                         '>= 0)' % text)
    return int(text)


def endpoint(text: str, minimum_port: int = 0) -> Endpoint:
    """``PORT``, ``HOST:PORT``, ``[V6]:PORT`` or a Unix path (contains ``/``).

    Returns Node's options: ``{'port'}``, ``{'host', 'port'}`` or ``{'path'}``.
    Raises ``argparse.ArgumentTypeError`` with a one-line explanation.
    """
    if '/' in text:
        return {'path': text}
    if text.startswith('['):
        close = text.find(']')
        host, rest = text[1:close], text[close + 1:]
        if close < 0 or not rest.startswith(':') or not gnet.is_ipv6(host):
            raise argparse.ArgumentTypeError('invalid address %r (expected [IPV6]:PORT)' % text)
        return {'host': host, 'port': port_number(rest[1:], minimum_port)}
    if text.count(':') > 1:
        raise argparse.ArgumentTypeError(
            'invalid address %r (write an IPv6 address in brackets: [::1]:8080)' % text)
    host, sep, port = text.rpartition(':')
    if not sep:
        if not is_decimal(text):
            raise argparse.ArgumentTypeError(
                'invalid address %r (expected PORT, HOST:PORT, [IPV6]:PORT, or a Unix '
                "socket path containing '/')" % text)
        return {'port': port_number(text, minimum_port)}
    if not host:
        return {'port': port_number(port, minimum_port)}
    return {'host': host, 'port': port_number(port, minimum_port)}


def target_endpoint(text: str) -> Endpoint:
    """An endpoint to connect to: port 0 is not allowed."""
    return endpoint(text, minimum_port=1)


def describe(address: Any) -> str:
    """``127.0.0.1:8124``, ``[::1]:8124``, or the path, as the commands print them."""
    if isinstance(address, dict) and 'path' in address:
        return str(address['path'])
    if isinstance(address, dict):
        host = address.get('address') or address.get('host') or 'localhost'
        port = address.get('port')
        return '[%s]:%s' % (host, port) if ':' in host else '%s:%s' % (host, port)
    return str(address)


def peer_of(sock: gnet.Socket) -> str:
    """The remote end of an accepted socket (``'unix'`` for IPC)."""
    if sock.remote_address is None:
        return 'unix'
    return describe({'address': sock.remote_address, 'port': sock.remote_port})


def on_stop_signals(stop: Callable[[], object], force: Callable[[], object]) -> Callable[[], None]:
    """Call ``stop`` on the first SIGINT/SIGTERM, ``force`` on the next one.

    Returns a function that removes the handlers again.
    """
    import gevent
    signals = [0]

    def handler() -> None:
        signals[0] += 1
        (stop if signals[0] == 1 else force)()
    handles = [gevent.signal_handler(signum, handler) for signum in (signal.SIGINT, signal.SIGTERM)]

    def cancel() -> None:
        for handle in handles:
            handle.cancel()
    return cancel


def serve(server: gnet.Server, where: Endpoint, stop: Callable[[], object],
          force: Callable[[], object]) -> None:
    """Listen on ``where``, print ``listening on <address>``, serve until stopped.

    The first SIGINT/SIGTERM calls ``stop`` (which must close the server and
    bound the time its connections get), saying on stderr how many
    connections it waits for, if any; the second calls ``force``.  Raises
    :class:`CommandFailed` if listening fails.
    """
    failures: List[BaseException] = []

    def on_error(err: BaseException) -> None:
        if server.listening:  # an accept error after startup: report, keep serving
            log.warning('server error: %s', err)
            return
        failures.append(err)
        server.close()
    server.on('error', on_error)
    server.on('listening', lambda: print('listening on %s' % describe(server.address()),
                                         flush=True))

    def stop_and_say() -> None:
        open_now = server.connections
        if open_now:  # else the stop is immediate: nothing to wait for, nothing to say
            print('stopping: waiting for %d open connection%s to finish (again to stop now)'
                  % (open_now, '' if open_now == 1 else 's'), file=sys.stderr, flush=True)
        stop()
    cancel = on_stop_signals(stop_and_say, force)
    try:
        try:
            server.listen(dict(where))
        except errors.NodeError as err:
            raise CommandFailed(str(err)) from None
        gnet.run()
    finally:
        cancel()
    if failures:
        raise CommandFailed(str(failures[0]))


def setup_logging(verbosity: int) -> None:
    """``-v``: INFO on the ``gnet`` logger to stderr; ``-vv``: DEBUG."""
    if not verbosity:
        return
    logger = logging.getLogger('gnet')
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter('%(asctime)s %(name)s %(message)s'))
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG if verbosity > 1 else logging.INFO)


def grace_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument('--grace', type=milliseconds, default=DEFAULT_GRACE_MS, metavar='MS',
                        help='on SIGINT/SIGTERM stop accepting and give open connections this '
                             'long to finish (default %(default)s); a second signal stops at once')
