"""Idle timeouts and TCP keep-alive, server and client in one program.

The server turns keep-alive on for every accepted socket
(``create_server({'keepAlive': True, 'keepAliveInitialDelay': ...})``: the
kernel probes a silent peer, so a vanished client is noticed), and gives
each socket an idle timeout with ``set_timeout(ms)``: ``'timeout'`` only
*notifies*; the listener decides, here with a polite ``end()``.  Every byte
in either direction restarts the countdown.

The client connects with keep-alive too (``set_keep_alive(True, ms)``),
sends a few pings less than the idle time apart (so no timeout fires), then
goes quiet; the server's timeout ends the connection, and the client prints
how long after its last ping that happened.

Run: ``python examples/idle_timeout.py [port] [--idle MS] [--pings N] [--interval MS]``
(defaults: port 0 = any free one, 500 ms idle, 3 pings 200 ms apart).  It
ends by itself when the client has been closed.  Times are milliseconds, as
in Node.
"""

import sys
import time

import gnet as net


def option(argv, name, default):
    return int(argv[argv.index(name) + 1]) if name in argv else default


def main(argv):
    idle = option(argv, '--idle', 500)
    pings = option(argv, '--pings', 3)
    interval = option(argv, '--interval', 200)
    words = [arg for i, arg in enumerate(argv[1:], 1)
             if not arg.startswith('--') and not argv[i - 1].startswith('--')]
    port = int(words[0]) if words else 0

    def on_connection(socket):
        def on_timeout():
            print('server: idle for %d ms, closing' % idle, flush=True)
            socket.end('bye: idle for %d ms\n' % idle)
        socket.set_timeout(idle, on_timeout)
        socket.set_encoding('utf8')
        socket.on('data', lambda text: print('server: got %s' % text.strip(), flush=True))

    server = net.createServer({'keepAlive': True, 'keepAliveInitialDelay': 10000},
                              on_connection)

    def start_client():
        address = server.address()
        print('listening on %s:%s' % (address['address'], address['port']), flush=True)
        client = net.createConnection(address['port'], '127.0.0.1')
        client.setKeepAlive(True, 10000)
        client.set_encoding('utf8')
        last = {'ping': time.monotonic(), 'count': 0}

        def ping():
            last['count'] += 1
            last['ping'] = time.monotonic()
            client.write('ping %d\n' % last['count'])
            if last['count'] == pings:
                net.clearInterval(timer)
        timer = net.setInterval(ping, interval)
        client.on('data', lambda text: print('client: got %s' % text.strip(), flush=True))

        def on_close(had_error):
            quiet = time.monotonic() - last['ping']
            print('client: closed by the server %.2f s after the last ping' % quiet, flush=True)
            server.close()
        client.on('close', on_close)

    server.listen(port, '127.0.0.1', start_client)
    net.run()


if __name__ == '__main__':
    main(sys.argv)
