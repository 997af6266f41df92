# pause() inside 'connection': reading had already started, so the peer's
# bytes are buffered (readableLength) and destroy() closes with a FIN: the
# client sees 'end', not ECONNRESET.
import gnet as net
from _trace import log


def on_connection(conn):
    conn.pause()
    log('server paused', conn.isPaused())

    def check():
        if conn.readableLength == 5:
            net.clearInterval(timer)
            log('server buffered', conn.readableLength)
            conn.destroy()
            server.close()
    timer = net.setInterval(check, 5)


server = net.createServer(on_connection)


def on_listening():
    client = net.connect(server.address()['port'], '127.0.0.1', lambda: client.write('hello'))
    client.resume()
    client.on('end', lambda: log('client end'))
    client.on('error', lambda err: log('client error', err.code))
    client.on('close', lambda had_error: log('client close', had_error))


server.listen(0, '127.0.0.1', on_listening)
net.run()
