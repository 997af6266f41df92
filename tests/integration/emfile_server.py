"""A gnet server run by test_server_faults.py under a low RLIMIT_NOFILE.

Usage: ``python emfile_server.py LIMIT``.  Sets RLIMIT_NOFILE to LIMIT,
listens on 127.0.0.1 (any port) and prints one JSON line ``{"port", "pid"}``.
Every connection is greeted with ``b'hello\\n'`` and then echoed.

Commands arrive on stdin, one per line; each is answered with one JSON line:
``stats`` -> ``{"cpu": user+system seconds so far, "connections": n,
"fds": open descriptors or null}``.  EOF on stdin closes the server, destroys every
connection, and the process exits 0 when ``gnet.run()`` returns.
"""

import json
import os
import resource
import sys


def open_fds():
    """How many descriptors are open (None when none is left to list them)."""
    try:
        return len(os.listdir('/proc/self/fd')) - 1
    except OSError:
        return None


def main() -> None:
    limit = int(sys.argv[1])
    resource.setrlimit(resource.RLIMIT_NOFILE, (limit, limit))

    import gevent
    from gevent.fileobject import FileObjectPosix

    import gnet

    def reply(payload: dict) -> None:
        sys.stdout.write(json.dumps(payload) + '\n')
        sys.stdout.flush()

    def on_connection(sock: gnet.Socket) -> None:
        sock.on('error', lambda err: None)  # peers vanish during the flood
        sock.write(b'hello\n')
        sock.pipe(sock)

    server = gnet.create_server(on_connection)

    def stats() -> dict:
        usage = resource.getrusage(resource.RUSAGE_SELF)
        return {'cpu': usage.ru_utime + usage.ru_stime, 'connections': server.connections,
                'fds': open_fds()}

    def control() -> None:
        commands = FileObjectPosix(sys.stdin.fileno(), 'rb', close=False)
        for line in commands:
            if line.strip() == b'stats':
                reply(stats())
        server.close()
        for conn in list(server._connections):
            conn.destroy()

    server.listen(0, '127.0.0.1',
                  lambda: reply({'port': server.address()['port'], 'pid': os.getpid()}))
    gevent.spawn(control)
    gnet.run()


if __name__ == '__main__':
    main()
