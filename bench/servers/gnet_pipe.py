"""Echo server: gnet, ``c.pipe(c)`` (the seed's echo)."""

import _common

import gnet


def main():
    args = _common.parse_args(__doc__)

    def on_connection(c):
        c.on('error', lambda err: None)
        c.pipe(c)

    server = gnet.create_server(on_connection)
    server.on('listening', _common.ready)
    if args.path:
        server.listen(args.path)
    else:
        server.listen(args.port, args.host)
    gnet.run()


if __name__ == '__main__':
    main()
