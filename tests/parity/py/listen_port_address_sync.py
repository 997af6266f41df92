# listen(0) without a host binds inside listen(): address() works on the next line,
# 'listening' and the callback come later.
import gnet as net
from _trace import log

server = net.createServer()
server.listen(0, lambda: log('server listen-callback'))
a = server.address()
log('server address', a['address'], a['family'], isinstance(a['port'], int), a['port'] > 0)
log('server listening-flag', server.listening)


def on_listening():
    log('server listening')
    server.close(lambda err=None: log('server closed'))


server.on('listening', on_listening)
log('main done')
net.run()
