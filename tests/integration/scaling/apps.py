"""Worker programs for the cluster tests (imported by the workers by name).

``line_server``: every line ``msg`` a client sends is answered with
``<worker id> <pid> msg``; ``crash`` as a line makes the worker exit 3.
"""

import os
import sys

import gnet
from gnet import cluster


def line_server(port, policy='rr', via='wrapper', host='127.0.0.1'):
    """Serve the line protocol on ``port`` (0: the primary's choice, shared).

    A string ``port`` is a Unix socket path instead (shared through the
    primary too, unless ``policy`` is ``'exclusive'``).
    """
    ident = ('%d %d ' % (cluster.worker.id, os.getpid())).encode()

    def on_connection(conn):
        pending = bytearray()

        def on_data(data):
            pending.extend(data)
            while b'\n' in pending:
                line, _, rest = bytes(pending).partition(b'\n')
                pending[:] = rest
                if line == b'crash':
                    sys.stdout.flush()
                    os._exit(3)
                conn.write(ident + line + b'\n')
        conn.on('data', on_data)
        conn.on('end', lambda: conn.end())
        conn.on('error', lambda err: None)

    server = gnet.create_server(on_connection)
    if isinstance(port, str):
        options = {'path': port, 'exclusive': policy == 'exclusive'}
    else:
        options = {'port': port, 'host': host, 'exclusive': policy == 'exclusive'}
    if via == 'listen':
        server.listen(options)
    else:
        cluster.listen(server, options)
