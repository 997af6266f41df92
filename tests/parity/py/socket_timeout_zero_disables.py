# setTimeout(0) disables the idle timeout set before.
import gnet as net
from _trace import log

server = net.createServer(lambda conn: conn.resume())


def on_listening():
    def on_connect():
        client.setTimeout(30)
        client.setTimeout(0)
        log('client timeout-property', client.timeout)

        def later():
            log('client still quiet')
            client.destroy()
        net.setTimeout(later, 150)
    client = net.connect(server.address()['port'], '127.0.0.1', on_connect)
    client.on('timeout', lambda: log('client timeout?!'))

    def on_close(had_error):
        log('client close')
        server.close()
    client.on('close', on_close)


server.listen(0, '127.0.0.1', on_listening)
net.run()
