# A SOCKS5-style handshake read with `await once(socket, 'data')` inside the
# 'connection' listener (greeting, then request, then a relay), over TCP and
# then over a Unix socket; the client awaits too.
#
# `await once(...)` is `net.once(...)`: in the listener it blocks the socket's
# own greenlet while that socket goes on reading; the async main() runs in a
# greenlet of its own (net.spawn), and net.run() is Node's implicit loop.
import os

import gnet as net
from _trace import log


def handle(socket):
    greeting, = net.once(socket, 'data')
    log('server greeting', greeting.hex())
    socket.write(bytes([5, 0]))
    request, = net.once(socket, 'data')
    log('server request', request.hex())
    socket.write(bytes([5, 0, 0, 1, 127, 0, 0, 1, 0, 80]))

    def on_data(d):
        log('server relay', d.decode())
        socket.write(d)
    socket.on('data', on_data)

    def on_end():
        log('server end')
        socket.end()
    socket.on('end', on_end)


def client(options):
    sock = net.connect(options)
    net.once(sock, 'connect')
    sock.write(bytes([5, 1, 0]))
    method, = net.once(sock, 'data')
    log('client method', method.hex())
    sock.write(bytes([5, 1, 0, 1, 127, 0, 0, 1, 0, 80]))
    reply, = net.once(sock, 'data')
    log('client reply', reply.hex())
    sock.write('hello')
    echo, = net.once(sock, 'data')
    log('client echo', echo.decode())
    sock.end()
    hadError, = net.once(sock, 'close')
    log('client close', hadError)


def serve(name, listenArgs, connectOptions):
    log('main', name)
    server = net.createServer(lambda socket: handle(socket))
    server.listen(*listenArgs)
    net.once(server, 'listening')
    client(connectOptions(server))
    server.close()
    net.once(server, 'close')
    log('server close')


def main():
    serve('tcp', [0, '127.0.0.1'],
          lambda server: {'port': server.address()['port'], 'host': '127.0.0.1'})
    file = os.path.join(os.environ['PARITY_DIR'], 'socks.sock')
    serve('ipc', [file], lambda server: {'path': file})


net.spawn(main)
net.run()
