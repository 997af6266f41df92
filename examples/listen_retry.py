"""Retry ``listen`` while the address is in use: the seed's EADDRINUSE example.

    server.on('error', (e) => {
      if (e.code === 'EADDRINUSE') {
        console.log('Address in use, retrying...');
        setTimeout(() => {
          server.close();
          server.listen(PORT, HOST);
        }, 1000);
      }
    });

Run: ``python examples/listen_retry.py PORT [HOST] [--delay MS] [--tries N] [--once]``
(defaults: port 8124, every address, 1000 ms between tries, 10 tries).
Prints ``Address in use, retrying...`` for each failed try and
``listening on <address>`` once bound; every connection is answered
``goodbye`` (the seed's ``server.listen()`` example).  ``--once`` closes the
server as soon as it has listened, so the program ends by itself.
"""

import sys

import gnet as net


def option(argv, name, default):
    if name in argv:
        return int(argv[argv.index(name) + 1])
    return default


def main(argv):
    delay = option(argv, '--delay', 1000)
    tries = option(argv, '--tries', 10)
    once = '--once' in argv
    words = [arg for i, arg in enumerate(argv[1:], 1)
             if not arg.startswith('--') and not argv[i - 1].startswith('--')]
    PORT = int(words[0]) if words else 8124
    HOST = words[1] if len(words) > 1 else None
    failures = []

    server = net.createServer(lambda socket: socket.end('goodbye\n'))

    def on_error(e):
        if e.code == 'EADDRINUSE':
            failures.append(e)
            if len(failures) >= tries:
                print('giving up: %s' % e, flush=True)
                server.close()
                return
            print('Address in use, retrying...', flush=True)

            def retry():
                server.close()
                server.listen(PORT, HOST)
            net.setTimeout(retry, delay)
        else:
            raise e
    server.on('error', on_error)

    def on_listening():
        address = server.address()
        print('listening on %s:%s' % (address['address'], address['port']), flush=True)
        if once:
            server.close()
    server.on('listening', on_listening)
    server.listen(PORT, HOST)
    net.run()
    return 1 if len(failures) >= tries else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
