# connecting/pending/readyState before and after 'connect'; 'connect' before 'ready'.
import gnet as net
from _trace import log

server = net.createServer(lambda conn: conn.end())


def on_listening():
    client = net.connect(server.address()['port'], '127.0.0.1')
    log('client connecting', client.connecting, client.pending, client.readyState)
    client.on('lookup', lambda *a: log('client lookup?!'))
    client.on('connect', lambda: log('client connect', client.connecting, client.pending,
                                     client.readyState))
    client.on('ready', lambda: log('client ready'))
    client.on('end', lambda: log('client end', client.readyState))

    def on_close(had_error):
        log('client close', had_error, client.readyState)
        server.close()
    client.on('close', on_close)
    client.resume()


server.listen(0, '127.0.0.1', on_listening)
net.run()
