# A custom lookup function answering later: 'lookup' is emitted with its answer, then 'connect'.
import gnet as net
from _trace import log

server = net.createServer(lambda conn: conn.end())


def lookup(hostname, options, callback):
    log('lookup called', hostname, options.get('all') is True)

    def answer():
        if options.get('all'):
            callback(None, [{'address': '127.0.0.1', 'family': 4}])
        else:
            callback(None, '127.0.0.1', 4)
    net.setImmediate(answer)


def on_listening():
    client = net.connect({'port': server.address()['port'], 'host': 'parity.invalid',
                          'lookup': lookup})
    client.on('lookup', lambda err, address, family, host: log('client lookup', err, address,
                                                               family, host))
    client.on('connect', lambda: log('client connect', client.remoteAddress))
    client.on('close', lambda had_error: server.close())
    client.resume()


server.listen(0, '127.0.0.1', on_listening)
net.run()
