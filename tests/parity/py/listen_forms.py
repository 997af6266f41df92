# The listen() call forms, one after another: port, port+host+backlog, options, numeric string.
import gnet as net
from _trace import log

forms = [
    ('listen(0, cb)', lambda s, cb: s.listen(0, cb)),
    ('listen(0, host, backlog, cb)', lambda s, cb: s.listen(0, '127.0.0.1', 5, cb)),
    ('listen({port, host}, cb)', lambda s, cb: s.listen({'port': 0, 'host': '127.0.0.1'}, cb)),
    ('listen({port: null}, cb)', lambda s, cb: s.listen({'port': None, 'host': '127.0.0.1'}, cb)),
    ("listen('0', host, cb)", lambda s, cb: s.listen('0', '127.0.0.1', cb)),
    ('listen(cb)', lambda s, cb: s.listen(cb)),
]


def next_form(i):
    if i == len(forms):
        return
    name, call = forms[i]
    server = net.createServer()

    def on_listening():
        a = server.address()
        log(name, a['address'], a['family'], a['port'] > 0)
        server.close(lambda err=None: next_form(i + 1))
    call(server, on_listening)


next_form(0)
net.run()
