# process.on('uncaughtException'): nothing crashes while a handler is
# registered.  The monitor sees each exception first; a 'data' listener and a
# 'connection' listener that throw leave their socket serving; an 'error'
# nobody listens to (a refused connect) and a throwing timer reach the handler.
import gnet as net
from _trace import log
from gnet import process

client = None


def on_monitor(err, origin):
    log('monitor', getattr(err, 'code', None) or str(err), origin)


process.on('uncaughtExceptionMonitor', on_monitor)


def on_uncaught(err, origin):
    log('handler', getattr(err, 'code', None) or str(err), origin)
    if str(err) == 'data listener failed':
        client.write('again')


process.on('uncaughtException', on_uncaught)


def on_connection(conn):
    def on_data(d):
        log('server data', d.decode())
        if d.decode() == 'boom':
            raise Exception('data listener failed')
        conn.write(b'echo ' + d)
    conn.on('data', on_data)

    def on_end():
        log('server end')
        conn.end()
    conn.on('end', on_end)
    conn.on('close', lambda hadError: log('server conn close', hadError, conn.destroyed))
    raise Exception('connection listener failed')


server = net.createServer(on_connection)


def on_listening():
    global client
    port = server.address()['port']
    client = net.connect(port, '127.0.0.1', lambda: client.write('boom'))

    def on_data(d):
        log('client data', d.decode())
        client.end()
    client.on('data', on_data)

    def on_client_close(hadError):
        log('client close', hadError)

        def on_server_close(err=None):
            log('server close')
            refused = net.connect(port, '127.0.0.1')

            def on_refused_close(hadError):
                log('refused close', hadError)

                def fail():
                    raise Exception('timer failed')
                net.setTimeout(fail, 1)
                net.setTimeout(lambda: log('still running'), 5)
            refused.on('close', on_refused_close)
        server.close(on_server_close)
    client.on('close', on_client_close)


server.listen(0, '127.0.0.1', on_listening)
net.run()
