# remoteAddress/Port/Family read while connected still answer in 'close' and
# after destroy; never read while connected, they are gone; local ones are gone.
import gnet as net
from _trace import log

server = net.createServer(lambda conn: conn.end())


def on_listening():
    port = server.address()['port']

    def on_connect():
        log('read connect', read.remoteAddress, read.remoteFamily, read.remotePort == port)
    read = net.connect(port, '127.0.0.1', on_connect)
    read.resume()

    def on_read_close(had_error):
        log('read close', had_error, read.remoteAddress, read.remoteFamily,
            read.remotePort == port, read.localAddress, read.localPort)
        unread = net.connect(port, '127.0.0.1')
        unread.resume()

        def on_unread_close(had_error):
            log('unread close', unread.remoteAddress, unread.remotePort)
            server.close()
        unread.on('close', on_unread_close)
    read.on('close', on_read_close)


server.listen(0, '127.0.0.1', on_listening)
net.run()
