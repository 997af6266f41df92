"""Echo server: raw gevent ``StreamServer``, recv 64 KiB / sendall."""

import os

import _common  # noqa: F401  (argument parsing)

from gevent import socket
from gevent.server import StreamServer


def handle(sock, address):
    try:
        while True:
            data = sock.recv(65536)
            if not data:
                break
            sock.sendall(data)
    except OSError:
        pass
    finally:
        sock.close()


def main():
    args = _common.parse_args(__doc__)
    if args.path:
        if os.path.exists(args.path):
            os.unlink(args.path)
        listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        listener.bind(args.path)
        listener.listen(511)
        server = StreamServer(listener, handle)
    else:
        server = StreamServer((args.host, args.port), handle, backlog=511)
    server.start()
    _common.ready()
    server.serve_forever()


if __name__ == '__main__':
    main()
