# getConnections(cb) counts open connections, asynchronously.
import gnet as net
from _trace import log

conns = []


def on_connection(conn):
    conns.append(conn)
    conn.resume()
    if len(conns) == 2:
        def on_count(err, n):
            log('connections', err, n)

            def on_first_close(had_error):
                def on_count2(err2, m):
                    log('connections after one closed', err2, m)
                    conns[1].destroy()
                    server.close(lambda err=None: log('closed'))
                server.getConnections(on_count2)
            conns[0].on('close', on_first_close)
            conns[0].destroy()
        server.getConnections(on_count)
        log('getConnections returned')


server = net.createServer(on_connection)


def on_listening():
    for _ in range(2):
        c = net.connect(server.address()['port'], '127.0.0.1')
        c.resume()
        c.on('error', lambda err: None)


server.listen(0, '127.0.0.1', on_listening)
net.run()
