"""The other process of the handle-passing tests: ``receiver.py FD``.

Over the channel on descriptor FD it receives handles and answers:
a Socket is echoed byte for byte (``pipe`` to itself); a Server answers
each connection with ``child <pid>\\n`` and then echoes.  Every message is
acknowledged with ``{'got': <kind>, 'pid': <pid>}``.  It exits when the
channel closes.
"""

import os
import sys

import gnet
from gnet.cluster.channel import Channel


def main():
    channel = Channel(int(sys.argv[1]))
    servers = []

    def on_connection(conn):
        conn.write(b'child %d\n' % os.getpid())
        conn.pipe(conn)

    def on_message(message, handle):
        if isinstance(handle, gnet.Socket):
            handle.on('error', lambda err: None)
            handle.pipe(handle)
            kind = 'socket'
        elif isinstance(handle, gnet.Server):
            servers.append(handle)
            handle.on('connection', on_connection)
            kind = 'server'
        else:
            kind = None
        channel.send({'got': kind, 'pid': os.getpid(), 'echo': message})

    def on_close():
        for server in servers:
            server.close()
        os._exit(0)

    channel.on('message', on_message)
    channel.on('close', on_close)
    gnet.run()


if __name__ == '__main__':
    main()
