# parity: group (the server and client events of one connection race, as in Node)
# A Unix socket server: address() is the path; peers have no remote address.
import json
import os

import gnet as net
from _trace import log, parity_dir

where = os.path.join(parity_dir(), 's.sock')


def on_connection(conn):
    log('conn remote', conn.remoteAddress, conn.remotePort, conn.remoteFamily)
    conn.end('hi')


server = net.createServer(on_connection)


def on_listening():
    log('server address-is-path', server.address() == where)
    client = net.connect(where, lambda: log('client connect', client.remoteAddress,
                                            json.dumps(client.address())))
    client.on('data', lambda d: log('client data', d.decode()))

    def on_close(had_error):
        log('client close', had_error)
        server.close(lambda err=None: log('server closed'))
    client.on('close', on_close)


server.listen(where, on_listening)
net.run()
