"""TLS echo server: gnet, ``tls.create_server({'key', 'cert'})`` + ``c.pipe(c)``."""

import _common

import gnet
import gnet.tls as tls


def main():
    args = _common.parse_args(__doc__, _common.add_tls_arguments)
    key, cert = _common.read_credentials(args)

    def on_connection(c):
        c.on('error', lambda err: None)
        c.pipe(c)

    # no_delay: without it the echo waits behind the session tickets for a delayed ACK
    server = tls.create_server({'key': key, 'cert': cert, 'no_delay': True}, on_connection)
    server.on('tlsClientError', lambda err, sock: None)
    server.on('listening', _common.ready)
    if args.path:
        server.listen(args.path)
    else:
        server.listen(args.port, args.host)
    gnet.run()


if __name__ == '__main__':
    main()
