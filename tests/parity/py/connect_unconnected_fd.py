# parity: group
# new net.Socket({fd}) on a bound but unconnected socket, then connect(): the
# socket connects that very descriptor (Unix and TCP alike; the TCP one keeps
# its bound port).  One never connected fails its first read as Node's does.
import os
import socket

import gnet as net
from _trace import log, parity_dir


def serve(name, listen_args, connect):
    def on_connection(conn):
        conn.on('data', lambda data: log(name + 'server', 'data', data.decode()))

        def on_end():
            conn.end()
            server.close()
        conn.on('end', on_end)
    server = net.createServer(on_connection)
    server.listen(*listen_args, lambda: connect(server))


def connect_pipe(server):
    handle = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    handle.bind(os.path.join(parity_dir(), 'client'))
    fd = handle.detach()
    client = net.Socket({'fd': fd})
    log('pipe before', client.readyState, client.pending, client.connecting)

    def on_connect():
        log('pipe connect', client._handle.fileno == fd, client.readyState)
        client.end('over the pipe')
    client.connect({'path': os.path.join(parity_dir(), 'server')}, on_connect)
    client.on('end', lambda: log('pipe end'))
    client.on('close', lambda had_error: log('pipe close', had_error))


def connect_tcp(server):
    handle = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    handle.bind(('127.0.0.1', 0))
    port = handle.getsockname()[1]
    fd = handle.detach()
    client = net.Socket({'fd': fd})
    log('tcp before', client.readyState, client.pending, client.connecting)

    def on_connect():
        log('tcp connect', client._handle.fileno == fd, client.localPort == port,
            client.remotePort == server.address()['port'])
        client.end('over tcp')
    client.connect(server.address()['port'], '127.0.0.1', on_connect)
    client.on('end', lambda: log('tcp end'))
    client.on('close', lambda had_error: log('tcp close', had_error))


serve('pipe', [os.path.join(parity_dir(), 'server')], connect_pipe)
serve('tcp', [0, '127.0.0.1'], connect_tcp)

lonely = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
lonely.bind(('127.0.0.1', 0))
never = net.Socket({'fd': lonely.detach()})
never.on('error', lambda err: log('never error', err.code, err.syscall))
never.on('close', lambda had_error: log('never close', had_error))
net.run()
