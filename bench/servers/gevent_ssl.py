"""TLS echo server: gevent ``StreamServer``, ``ssl.SSLContext.wrap_socket``, recv 64 KiB / sendall."""

import os

import _common

from gevent import socket, ssl
from gevent.server import StreamServer
from gevent_raw import handle


def main():
    args = _common.parse_args(__doc__, _common.add_tls_arguments)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(args.cert, args.key)

    def handle_tls(sock, address):
        # TCP_NODELAY, as the other TLS servers: otherwise the echo waits behind the
        # session tickets for the client's delayed ACK
        if sock.family != socket.AF_UNIX:
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        try:
            # gevent.ssl's context: the handshake and the reads yield to the hub
            tls_sock = context.wrap_socket(sock, server_side=True)
        except OSError:
            sock.close()
            return
        handle(tls_sock, address)

    if args.path:
        if os.path.exists(args.path):
            os.unlink(args.path)
        listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        listener.bind(args.path)
        listener.listen(511)
        server = StreamServer(listener, handle_tls)
    else:
        server = StreamServer((args.host, args.port), handle_tls, backlog=511)
    server.start()
    _common.ready()
    server.serve_forever()


if __name__ == '__main__':
    main()
