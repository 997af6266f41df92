# onread: pause() inside the callback stops reading at once; the callback runs
# again only after resume() (the whole message is in the kernel before reading starts).
import gnet as net
from _trace import log

state = {'client': None, 'paused': False}


def on_connection(conn):
    def on_finish():
        log('server finish; client resumes')
        state['client'].resume()
    conn.on('finish', on_finish)
    conn.end('abcdefghij')


server = net.createServer(on_connection)


def on_listening():
    buffer = bytearray(4)

    def callback(nread, buf):
        log('callback', nread, bytes(buf[:nread]).decode('latin1'), 'paused', state['paused'])
        state['paused'] = True
        client.pause()

        def later():
            state['paused'] = False
            client.resume()
        net.setTimeout(later, 10)

    client = state['client'] = net.connect({
        'port': server.address()['port'], 'host': '127.0.0.1',
        'onread': {'buffer': buffer, 'callback': callback}})
    client.on('connect', lambda: client.pause())
    client.on('end', lambda: log('client end'))

    def on_close(had_error):
        log('client close', had_error)
        server.close()
    client.on('close', on_close)


server.listen(0, '127.0.0.1', on_listening)
net.run()
