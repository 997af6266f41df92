# write() after destroy(): the callback gets ERR_STREAM_DESTROYED, no 'error' event.
import gnet as net
from _trace import log

server = net.createServer(lambda conn: conn.resume())


def on_listening():
    def on_connect():
        client.destroy()
        ret = client.write('late', lambda err: log('client write-callback', err.code))
        log('client write returned', ret)
    client = net.connect(server.address()['port'], '127.0.0.1', on_connect)
    client.on('error', lambda err: log('client error?!', err.code))

    def on_close(had_error):
        log('client close', had_error)
        server.close()
    client.on('close', on_close)


server.listen(0, '127.0.0.1', on_listening)
net.run()
