# parity: group
# An open but paused socket with nothing to write does not keep the program
# alive (libuv counts only active handles); a reading one does, until closed.
import gnet as net
from _trace import log


def on_connection(conn):
    log('server connection')
    conn.unref()


server = net.createServer(on_connection)


def on_listening():
    def on_reading_connect():
        log('reading connect')

        def destroy():
            log('reading destroy')
            reading.destroy()
        net.setTimeout(destroy, 50).unref()
    reading = net.connect(server.address()['port'], '127.0.0.1', on_reading_connect)

    def on_reading_close(had_error):
        log('reading close')
        paused = net.connect(server.address()['port'], '127.0.0.1',
                             lambda: log('paused connect'))
        paused.pause()
        net.setTimeout(lambda: log('never printed'), 2000).unref()
    reading.on('close', on_reading_close)


server.listen(0, '127.0.0.1', on_listening)
server.unref()
net.run()
log('exit')
