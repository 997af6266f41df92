# Write callbacks run once each, in order, before the end callback and 'finish'.
import gnet as net
from _trace import log

server = net.createServer(lambda conn: conn.resume())


def on_listening():
    def on_connect():
        for i in range(1, 4):
            client.write('chunk%d' % i, lambda err, i=i: log('write-callback', i, err))
        client.end(lambda err: log('end-callback', err))
    client = net.connect(server.address()['port'], '127.0.0.1', on_connect)
    client.on('finish', lambda: log('finish'))
    client.on('close', lambda had_error: server.close(lambda err=None: log('closed')))
    client.resume()


server.listen(0, '127.0.0.1', on_listening)
net.run()
