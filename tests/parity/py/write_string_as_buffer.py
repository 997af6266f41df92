# write(str, 'buffer'): a connected socket's handle refuses the string
# (TypeError ERR_INVALID_ARG_TYPE "Second argument must be a buffer"); a plain
# Writable cannot make a Buffer of it (ERR_UNKNOWN_ENCODING), and one with
# decodeStrings false hands it to _write as it is.
import gnet as net
from gnet.streams.writable import Writable
from _trace import log


def attempt(label, fn):
    try:
        fn()
        log(label, 'no throw')
    except net.errors.NodeError as err:
        log(label, err.name, err.code, err.message)


attempt('writable', lambda: Writable({'write': lambda self, chunk, encoding, cb: cb()})
        .write('broken', 'buffer'))


def raw_write(self, chunk, encoding, cb):
    log('raw _write', 'string' if isinstance(chunk, str) else type(chunk).__name__, chunk, encoding)
    cb()


attempt('raw', lambda: Writable({'decodeStrings': False, 'write': raw_write}).write('broken', 'buffer'))


def on_connection(conn):
    conn.on('data', lambda data: log('server data', data.decode()))
    conn.on('end', lambda: conn.end())


server = net.createServer(on_connection)


def on_listening():
    def on_connect():
        attempt('socket', lambda: client.write('broken', 'buffer'))
        client.destroy()
        server.close()
    client = net.connect(server.address()['port'], '127.0.0.1', on_connect)
    client.on('close', lambda had_error: log('client close', had_error))


server.listen(0, '127.0.0.1', on_listening)
net.run()
