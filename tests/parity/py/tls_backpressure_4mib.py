# parity: group
# 4 MiB through a TLS echo, byte-exact: the client writes in 64 KiB chunks while write()
# says yes and waits for 'drain' when it says no; the sha256 of what came back, and
# whether write() ever said no (each side's highWaterMark is 16 KiB).
import hashlib

import gnet.tls as tls
import gnet as net
from _trace import log, pki

TOTAL = 4 * 1024 * 1024
CHUNK = 65536
payload = bytes(((i * 7 + (i >> 12)) & 0xff) for i in range(TOTAL))


def on_secure_connection(conn):
    conn.pipe(conn)
    conn.on('close', lambda had_error: server.close())


server = tls.createServer({'key': pki('leaf.key'), 'cert': pki('leaf.crt')}, on_secure_connection)


def on_listening():
    client = tls.connect({'port': server.address()['port'], 'host': '127.0.0.1', 'ca': pki('root.crt'),
                          'servername': 'localhost'})
    digest = hashlib.sha256()
    state = {'received': 0, 'refused': False, 'offset': 0}

    def on_data(d):
        digest.update(d)
        state['received'] += len(d)
        if state['received'] == TOTAL:
            log('client received', state['received'], digest.hexdigest() ==
                hashlib.sha256(payload).hexdigest())
            log('client counts', client.bytesWritten, client.bytesRead)
            client.end()
    client.on('data', on_data)

    def pump():
        while state['offset'] < TOTAL:
            ok = client.write(payload[state['offset']:state['offset'] + CHUNK])
            state['offset'] += CHUNK
            if not ok:
                state['refused'] = True
                client.once('drain', pump)
                return
        log('client wrote all', state['refused'])
    client.on('secureConnect', pump)
    client.on('close', lambda had_error: log('client close', had_error))


server.listen(0, '127.0.0.1', on_listening)
net.run()
