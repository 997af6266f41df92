# onread with a static buffer: reads land in the user's buffer, at most its size each.
import gnet as net
from _trace import log

server = net.createServer(lambda conn: conn.end('abcdefghij'))


def on_listening():
    buffer = bytearray(4)
    state = {'got': '', 'largest': 0}

    def callback(nread, buf):
        if buf is not buffer:
            log('a different buffer?!')
        state['largest'] = max(state['largest'], nread)
        state['got'] += bytes(buf[:nread]).decode('latin1')
    client = net.connect({'port': server.address()['port'], 'host': '127.0.0.1',
                          'onread': {'buffer': buffer, 'callback': callback}})
    client.on('data', lambda d: log('data event?!'))
    client.on('end', lambda: log('client end', state['got'], state['largest']))
    client.on('close', lambda had_error: server.close())


server.listen(0, '127.0.0.1', on_listening)
net.run()
