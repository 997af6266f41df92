# net.connect({timeout}) sets the idle timeout: 'connect', then 'timeout'.
import gnet as net
from _trace import log

server = net.createServer(lambda conn: conn.resume())


def on_listening():
    client = net.connect({'port': server.address()['port'], 'host': '127.0.0.1', 'timeout': 50})
    client.on('connect', lambda: log('client connect', client.timeout))

    def on_timeout():
        log('client timeout')
        client.end()
    client.on('timeout', on_timeout)

    def on_close(had_error):
        log('client close')
        server.close()
    client.on('close', on_close)
    client.resume()


server.listen(0, '127.0.0.1', on_listening)
net.run()
