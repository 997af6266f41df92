# A socket that never connected: 'timeout' fires (its timer is unref'd: a
# referenced timer keeps the program alive), destroy() closes it on a tick
# with no 'close' argument (None here), and a write queued while connecting is
# answered with ERR_SOCKET_CLOSED_BEFORE_CONNECTION.
import gnet as net
from _trace import log


def idle_socket():
    idle = net.Socket()
    idle.setTimeout(20)

    def on_timeout():
        log('idle timeout', idle.connecting, idle.pending)
        idle.destroy(Exception('boom'))
    idle.on('timeout', on_timeout)
    idle.on('error', lambda err: log('idle error', err))
    # Node's 'close' has no argument here; a Python listener sees None
    idle.on('close', lambda *args: log('idle close', 0 if args == (None,) else len(args), None))
    net.setTimeout(lambda: log('keeper done'), 200)

server = net.createServer()


def on_listening():
    sock = net.connect(server.address()['port'], '127.0.0.1')
    sock.on('connect', lambda: log('sock connect'))
    sock.write('queued', lambda err=None: log('sock write cb', err and err.code))
    log('sock bytesWritten', sock.bytesWritten)

    def on_close(had_error):
        log('sock close', had_error)
        server.close()
        idle_socket()
    sock.on('close', on_close)
    sock.destroy()


server.listen(0, '127.0.0.1', on_listening)
net.run()
