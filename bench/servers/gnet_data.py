"""Echo server: gnet, ``'data'`` -> ``write()``; pause on False, resume on ``'drain'``."""

import _common

import gnet


def main():
    args = _common.parse_args(__doc__)

    def on_connection(c):
        def on_data(chunk):
            if not c.write(chunk):
                c.pause()
        c.on('data', on_data)
        c.on('drain', c.resume)
        c.on('error', lambda err: None)

    server = gnet.create_server(on_connection)
    server.on('listening', _common.ready)
    if args.path:
        server.listen(args.path)
    else:
        server.listen(args.port, args.host)
    gnet.run()


if __name__ == '__main__':
    main()
