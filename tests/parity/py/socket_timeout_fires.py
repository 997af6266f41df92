# setTimeout(ms): 'timeout' after ms idle; the socket stays open until destroyed.
import gnet as net
from _trace import log

server = net.createServer(lambda conn: conn.resume())


def on_listening():
    def on_connect():
        client.setTimeout(50, lambda: log('client timeout-callback'))
        log('client timeout-property', client.timeout)
    client = net.connect(server.address()['port'], '127.0.0.1', on_connect)

    def on_timeout():
        log('client timeout', client.destroyed, client.readyState)
        client.destroy()
    client.on('timeout', on_timeout)

    def on_close(had_error):
        log('client close', had_error)
        server.close()
    client.on('close', on_close)


server.listen(0, '127.0.0.1', on_listening)
net.run()
