# allowHalfOpen false: once the peer's FIN ended the socket, a write fails
# with Node's EPIPE "This socket has been ended by the other party".
import gnet as net
from _trace import log

server = net.createServer(lambda conn: conn.end())


def on_listening():
    client = net.connect(server.address()['port'], '127.0.0.1')
    client.resume()

    def late_write():
        log('client writableEnded', client.writableEnded)
        ret = client.write('late', lambda err=None: log('write cb', err.code, err))
        log('write returned', ret)

    def on_end():
        log('client end', client.writableEnded)
        net.setImmediate(late_write)
    client.on('end', on_end)
    client.on('error', lambda err: log('client error', err.code, err))

    def on_close(had_error):
        log('client close', had_error)
        server.close()
    client.on('close', on_close)


server.listen(0, '127.0.0.1', on_listening)
net.run()
