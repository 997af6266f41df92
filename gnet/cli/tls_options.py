"""The TLS flags of ``gnet proxy`` and ``gnet connect``, turned into :mod:`gnet.tls` options.

Owns: the argparse types for PEM files and ALPN lists, the two groups of
flags (``proxy``: ``--tls-cert``/``--tls-key``/``--tls-ca`` for the listening
side, ``--tls-upstream`` and its ``--tls-servername``/``--tls-upstream-ca``/
``--tls-insecure`` for the side towards TARGET, ``--alpn`` for both;
``connect``: ``--tls``, ``--servername``, ``--ca``, ``--insecure``,
``--alpn``, ``--cert``/``--key``), the checks that make a bad combination or an unusable file a
usage error (exit 2, one line) before anything listens or connects, and
:func:`error_line` -- an error with Node's code in its one line.
Must not import: the subcommand modules (they import this one).

Files are read when the arguments are parsed and passed to gnet.tls as PEM
bytes, as a Node program passes ``fs.readFileSync(...)``; a key, certificate
or CA that OpenSSL refuses is found by building the secure context once,
at start-up, and reported as a usage error.
"""

import argparse
from typing import Any, Dict, List, Optional

from .. import errors
from ..tls import create_secure_context
from .common import Endpoint

__all__ = ['pem_file', 'alpn_protocols', 'add_proxy_arguments', 'add_connect_arguments',
           'server_options', 'upstream_options', 'connect_options', 'error_line', 'tls_summary']


def pem_file(path: str) -> bytes:
    """An argparse type: the bytes of a readable PEM file."""
    try:
        with open(path, 'rb') as f:
            data = f.read()
    except OSError as exc:
        raise argparse.ArgumentTypeError('cannot read %r: %s' % (path, exc.strerror)) from None
    if b'-----BEGIN ' not in data:
        raise argparse.ArgumentTypeError('%r is not a PEM file' % path)
    return data


def alpn_protocols(text: str) -> List[str]:
    """An argparse type: ``PROTO[,PROTO...]``, each 1-255 bytes."""
    names = text.split(',')
    if not all(0 < len(name.encode()) < 256 for name in names):
        raise argparse.ArgumentTypeError('invalid ALPN list %r (expected PROTO[,PROTO], '
                                         'e.g. h2,http/1.1)' % text)
    return names


def add_proxy_arguments(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group(
        'TLS', 'Terminate TLS on LISTEN (--tls-cert with --tls-key), originate it to TARGET '
               '(--tls-upstream), or both.')
    group.add_argument('--tls-cert', type=pem_file, metavar='FILE',
                       help='serve TLS on LISTEN with this PEM certificate (chain); needs '
                            '--tls-key')
    group.add_argument('--tls-key', type=pem_file, metavar='FILE',
                       help='the PEM private key of --tls-cert')
    group.add_argument('--tls-ca', type=pem_file, metavar='FILE',
                       help='mutual TLS: require a client certificate issued by a CA in FILE '
                            '(clients without one are refused)')
    group.add_argument('--tls-upstream', action='store_true',
                       help='connect to TARGET over TLS, verifying its certificate')
    group.add_argument('--tls-servername', metavar='NAME',
                       help="the name sent to TARGET (SNI) and checked against its certificate "
                            "(default: TARGET's host)")
    group.add_argument('--tls-upstream-ca', type=pem_file, metavar='FILE',
                       help="trust these PEM CAs for TARGET's certificate (default: the "
                            'system roots)')
    group.add_argument('--tls-insecure', action='store_true',
                       help="do not verify TARGET's certificate (reject_unauthorized=false)")
    group.add_argument('--alpn', type=alpn_protocols, metavar='PROTO[,PROTO]',
                       help='ALPN protocols, in order of preference: accepted on LISTEN and '
                            'offered to TARGET (a peer with none in common is refused)')


def add_connect_arguments(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group('TLS', 'Like openssl s_client: --tls and its options.')
    group.add_argument('--tls', action='store_true',
                       help="connect over TLS; a certificate that does not verify is exit "
                            "status 1 with Node's code")
    group.add_argument('--servername', metavar='NAME',
                       help="the name sent (SNI) and checked (default: TARGET's host)")
    group.add_argument('--ca', type=pem_file, metavar='FILE',
                       help='trust these PEM CAs (default: the system roots)')
    group.add_argument('--insecure', action='store_true',
                       help="do not verify the server's certificate")
    group.add_argument('--alpn', type=alpn_protocols, metavar='PROTO[,PROTO]',
                       help='offer these ALPN protocols')
    group.add_argument('--cert', type=pem_file, metavar='FILE',
                       help='present this PEM client certificate (mutual TLS); needs --key')
    group.add_argument('--key', type=pem_file, metavar='FILE', help='the PEM key of --cert')


def _check_server(parser: argparse.ArgumentParser, options: Dict[str, Any]) -> None:
    """Build the context once: a key, certificate or CA OpenSSL refuses is a usage error."""
    try:
        create_secure_context({key: options[key] for key in ('key', 'cert', 'ca') if key in options})
    except errors.NodeError as err:
        parser.error('--tls-cert/--tls-key/--tls-ca: %s' % error_line(err))


def _pair(parser: argparse.ArgumentParser, cert: Optional[bytes], key: Optional[bytes],
          names: str) -> None:
    if (cert is None) != (key is None):
        parser.error('%s go together' % names)


def server_options(args: argparse.Namespace) -> Optional[Dict[str, Any]]:
    """The ``tls.create_server`` options of ``gnet proxy``'s flags, or None (plain TCP)."""
    parser = args.parser
    _pair(parser, args.tls_cert, args.tls_key, '--tls-cert and --tls-key')
    if args.tls_cert is None:
        if args.tls_ca is not None:
            parser.error('--tls-ca needs --tls-cert and --tls-key')
        return None
    options: Dict[str, Any] = {'cert': args.tls_cert, 'key': args.tls_key}
    if args.tls_ca is not None:
        options.update(ca=args.tls_ca, request_cert=True, reject_unauthorized=True)
    if args.alpn:
        options['ALPNProtocols'] = args.alpn
    _check_server(parser, options)
    return options


def upstream_options(args: argparse.Namespace) -> Optional[Dict[str, Any]]:
    """The ``tls.TLSSocket`` options for the connection to TARGET, or None (plain TCP)."""
    parser = args.parser
    if not args.tls_upstream:
        for flag in ('tls_servername', 'tls_upstream_ca'):
            if getattr(args, flag) is not None:
                parser.error('--%s needs --tls-upstream' % flag.replace('_', '-'))
        if args.tls_insecure:
            parser.error('--tls-insecure needs --tls-upstream')
        return None
    if args.send_proxy:
        parser.error('--send-proxy with --tls-upstream is not supported yet')
    return _client_options(parser, args.target, args.tls_servername, args.tls_upstream_ca,
                           args.tls_insecure, args.alpn, {})


def connect_options(args: argparse.Namespace) -> Optional[Dict[str, Any]]:
    """``gnet connect``'s TLS options, or None without ``--tls``."""
    if not args.tls:
        for flag in ('servername', 'ca', 'alpn', 'cert', 'key'):
            if getattr(args, flag) is not None:
                args.parser.error('--%s needs --tls' % flag)
        if args.insecure:
            args.parser.error('--insecure needs --tls')
        return None
    _pair(args.parser, args.cert, args.key, '--cert and --key')
    own = {'cert': args.cert, 'key': args.key} if args.cert is not None else {}
    return _client_options(args.parser, args.target, args.servername, args.ca, args.insecure,
                           args.alpn, own)


def _client_options(parser: argparse.ArgumentParser, target: Endpoint, servername: Optional[str],
                    ca: Optional[bytes], insecure: bool, alpn: Optional[List[str]],
                    own: Dict[str, bytes]) -> Dict[str, Any]:
    options: Dict[str, Any] = {'reject_unauthorized': not insecure}
    if 'host' in target:
        options['host'] = target['host']  # the default servername, as in tls.connect
    if servername is not None:
        options['servername'] = servername
    try:  # one context for every connection (the system roots without a CA file)
        context = create_secure_context(dict(own, ca=ca) if ca is not None else own)
        context.for_client()  # loads the CAs: a file OpenSSL refuses fails here
        options['secure_context'] = context
    except errors.NodeError as err:
        parser.error('the CA, certificate or key file: %s' % error_line(err))
    if alpn:
        options['ALPNProtocols'] = alpn
    return options


def error_line(err: BaseException) -> str:
    """``str(err)``, led by Node's code when the message does not already say it."""
    message = str(err)
    code = getattr(err, 'code', None)
    if isinstance(code, str) and code not in message:
        return '%s %s' % (code, message) if message else code
    return message


def tls_summary(sock: Any) -> str:
    """``TLSv1.3, ALPN h2, peer certificate CN=...``: what a ``-v`` line says of a TLS socket."""
    subject = sock.get_peer_certificate().get('subject') or {}
    peer = ('peer certificate CN=%s' % subject.get('CN')) if subject else 'no peer certificate'
    return '%s, ALPN %s, %s' % (sock.get_protocol(), sock.alpn_protocol or 'none', peer)
