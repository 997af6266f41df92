"""A PROXY-protocol backend for the nginx test: prints ``{"port": P}``, then serves.

Each connection first gets ``<pid> <remote_address> <remote_port> <remote_family>\\n``
(the client as the PROXY header reported it), then an echo of its bytes.
"""

import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import gnet  # noqa: E402


def main():
    def on_connection(conn):
        conn.write(('%d %s %s %s\n' % (os.getpid(), conn.remote_address, conn.remote_port,
                                       conn.remote_family)).encode())
        conn.on('error', lambda err: None)
        conn.pipe(conn)

    options = {'proxy_protocol': True}
    server = gnet.create_server(options, on_connection)
    server.listen(0, '127.0.0.1', lambda: print(json.dumps({'port': server.address()['port']}),
                                                 flush=True))
    gnet.run()


if __name__ == '__main__':
    main()
