"""A misbehaving peer in its own process (killed with SIGKILL by the tests).

Usage: ``python peer_process.py MODE ADDRESS`` where ADDRESS is ``host:port``
or a Unix socket path and MODE is

* ``flood``: send forever and never read (the gnet side receives);
* ``stall``: read 64 KiB, then never read again (the gnet side sends and
  fills the kernel buffers).

Plain blocking sockets, no gnet and no gevent: the peer must not share any
code with what it tests.
"""

import socket
import sys
import time


def main():
    mode, address = sys.argv[1], sys.argv[2]
    if address.startswith('/'):
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.connect(address)
    else:
        host, port = address.rsplit(':', 1)
        sock = socket.create_connection((host, int(port)))
    if mode == 'flood':
        chunk = b'f' * 65536
        while True:
            sock.sendall(chunk)
    elif mode == 'stall':
        got = 0
        while got < 65536:
            data = sock.recv(65536)
            if not data:
                return
            got += len(data)
        time.sleep(3600)  # alive, never reading again: the kill sends RST
    else:
        raise SystemExit('unknown mode %r' % mode)


if __name__ == '__main__':
    main()
