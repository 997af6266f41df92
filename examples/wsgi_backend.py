"""gnet inside a gevent web stack: a WSGI app that calls a backend over gnet.

``gevent.pywsgi`` serves the app; each HTTP request runs in its own greenlet.
The app talks to a line-based backend service over a gnet connection and
simply *blocks* for the answer (``for chunk in sock`` waits cooperatively,
one greenlet at a time), while gnet runs the connection in its own greenlet
-- no callbacks in the request code, and other requests keep being served.

The backend is a gnet server in the same process (any TCP or Unix service
would do): it reads one line and answers it upper-cased, then ends.  There
is no ``gnet.run()``: pywsgi's ``serve_forever()`` keeps the program alive,
and gnet objects work in any gevent program.

Run: ``python examples/wsgi_backend.py [port] [--backend PORT|PATH] [--once]``
(default port 0 = any free one), then
``curl 'http://127.0.0.1:PORT/upper?text=hello'`` prints ``HELLO``.
``--once`` stops after the first request has been answered.
"""

import sys
from urllib.parse import parse_qs

import gevent
from gevent.event import Event
from gevent.pywsgi import WSGIServer

import gnet


def start_backend():
    """A line-based upper-case service on a free loopback port (in this process)."""
    def on_connection(conn):
        conn.set_encoding('utf8')
        received = []

        def on_data(text):
            received.append(text)
            if '\n' in text:
                conn.end(''.join(received).split('\n', 1)[0].upper() + '\n')
        conn.on('data', on_data)
    server = gnet.create_server(on_connection)
    server.listen(0, '127.0.0.1')
    gnet.once(server, 'listening', timeout=5)  # blocks this greenlet until bound
    return server, {'port': server.address()['port'], 'host': '127.0.0.1'}


def ask_backend(where, text):
    """One request/answer over a fresh gnet connection; blocks this greenlet only."""
    with gnet.connect(where) as sock:
        sock.end(text.replace('\n', ' ') + '\n')
        return b''.join(sock).decode('utf8').rstrip('\n')


def make_app(where, served):
    def app(environ, start_response):
        if environ['PATH_INFO'] != '/upper':
            start_response('404 Not Found', [('Content-Type', 'text/plain')])
            return [b'try /upper?text=hello\n']
        text = parse_qs(environ.get('QUERY_STRING', '')).get('text', [''])[0]
        try:
            answer = ask_backend(where, text)
        except gnet.errors.NodeError as err:  # ECONNREFUSED & co, with Node's code
            start_response('502 Bad Gateway', [('Content-Type', 'text/plain')])
            return [('backend: %s\n' % err).encode('utf8')]
        start_response('200 OK', [('Content-Type', 'text/plain; charset=utf-8')])
        served.set()
        return [(answer + '\n').encode('utf8')]
    return app


def main(argv):
    words = [arg for i, arg in enumerate(argv[1:], 1)
             if not arg.startswith('--') and argv[i - 1] != '--backend']
    port = int(words[0]) if words else 0
    backend = None
    if '--backend' in argv:
        given = argv[argv.index('--backend') + 1]
        where = {'path': given} if '/' in given else {'port': int(given), 'host': '127.0.0.1'}
    else:
        backend, where = start_backend()
    served = Event()  # set once a request has been answered
    http = WSGIServer(('127.0.0.1', port), make_app(where, served), log=None)
    http.start()
    print('listening on http://127.0.0.1:%d/' % http.server_port, flush=True)
    if '--once' in argv:
        def stop_after_first_request():
            served.wait()
            http.stop(timeout=5)  # graceful: lets the answer go out first
        gevent.spawn(stop_after_first_request)
    try:
        http.serve_forever()
    finally:
        if backend is not None:
            backend.close()


if __name__ == '__main__':
    main(sys.argv)
