# Socket and Server methods that return their object, before and after connect.
import gnet as net
from _trace import log

server = net.createServer(lambda conn: conn.resume())
log('server', server.ref() is server, server.unref() is server, server.ref() is server)


def on_listening():
    s = net.Socket()
    log('socket before', s.setNoDelay(True) is s, s.setKeepAlive(True, 1000) is s,
        s.setTimeout(0) is s, s.setEncoding('utf8') is s, s.ref() is s, s.pause() is s,
        s.resume() is s)
    s.connect(server.address()['port'], '127.0.0.1',
              lambda: log('socket after', s.setNoDelay(False) is s, s.setKeepAlive(False) is s,
                          s.end() is s))
    s.on('close', lambda had_error: log('close', s.destroy() is s, server.close() is server))


server.listen(0, '127.0.0.1', on_listening)
net.run()
