"""A line-based chat server that broadcasts with backpressure.

Every line a client sends goes to every other client as ``guestN: line``.
A broadcast must never buffer without bound for a client that does not
read, so ``write()``'s answer is used, in one of two policies:

- ``--policy drop`` (default): a client whose queue (``writable_length``)
  passes ``--max-queue`` bytes is dropped; the others carry on at full speed.
- ``--policy pause``: when a write to a client returns False, the *sender*
  is paused until that client's ``'drain'``; nothing is lost, and the slow
  client's queue stays near its high-water mark, but one slow reader holds
  up everybody who talks to it (TCP pushes back all the way to the senders).

Run: ``python examples/chat_server.py [port | path] [--policy drop|pause]
[--max-queue BYTES] [--once]`` (default port 0: any free one), then
``gnet connect 127.0.0.1:PORT`` (or ``nc``) from two terminals.  It prints
``listening on <address>`` and one line per event (join, leave, drop,
pause, resume).  ``--once`` ends the program when the room empties again.
"""

import sys

import gnet as net

#: a client sending a line longer than this is dropped (bounds its buffer too)
MAX_LINE = 64 * 1024


def option(argv, name, default):
    return argv[argv.index(name) + 1] if name in argv else default


def say(text):
    print(text, flush=True)


class Room:
    def __init__(self, policy, max_queue, once):
        self.policy = policy        # 'drop' or 'pause'
        self.max_queue = max_queue  # drop policy: bytes queued for one client
        self.once = once
        self.server = None
        self.names = {}             # socket -> name, in join order
        self.waits = {}             # sender -> number of slow clients it waits for
        self.held = set()           # (sender, slow client) pairs being waited on
        self.count = 0

    def on_connection(self, socket):
        self.count += 1
        name = 'guest%d' % self.count
        self.names[socket] = name
        self.waits[socket] = 0
        socket.set_encoding('utf8')
        partial = ['']

        def on_data(text):
            lines = (partial[0] + text).split('\n')
            partial[0] = lines.pop()
            if len(partial[0]) > MAX_LINE:
                self.drop(socket, 'line too long')
                return
            for line in lines:
                self.broadcast(socket, '%s: %s\n' % (name, line.rstrip('\r')))
        socket.on('data', on_data)
        socket.on('error', lambda err: say('%s error: %s' % (name, err)))
        socket.on('close', lambda had_error: self.leave(socket))
        say('%s joined' % name)
        socket.write('welcome, %s\n' % name)
        self.broadcast(socket, '* %s joined\n' % name)

    def broadcast(self, sender, message):
        for client in list(self.names):
            if client is sender or client.destroyed:
                continue
            if client.write(message):
                continue
            if self.policy == 'pause':
                self.hold(sender, client)
            elif client.writable_length > self.max_queue:
                self.drop(client, 'too slow, %d bytes queued' % client.writable_length)

    def hold(self, sender, slow):
        """Pause ``sender`` until ``slow`` drains (or leaves)."""
        if sender.destroyed or (sender, slow) in self.held:
            return
        self.held.add((sender, slow))
        if self.waits[sender] == 0:
            sender.pause()
            say('%s paused: %s is slow' % (self.names[sender], self.names[slow]))
        self.waits[sender] += 1

        def release(*_):
            slow.remove_listener('drain', release)
            slow.remove_listener('close', release)
            self.held.discard((sender, slow))
            if sender not in self.waits:
                return  # the sender left meanwhile
            self.waits[sender] -= 1
            if self.waits[sender] == 0:
                say('%s resumed' % self.names[sender])
                sender.resume()
        slow.on('drain', release)
        slow.on('close', release)

    def drop(self, client, why):
        if client.destroyed:
            return
        say('%s dropped: %s' % (self.names[client], why))
        client.destroy()

    def leave(self, socket):
        name = self.names.pop(socket)
        self.waits.pop(socket, None)
        say('%s left' % name)
        self.broadcast(socket, '* %s left\n' % name)
        if self.once and not self.names:
            self.server.close()


def main(argv):
    words = [arg for i, arg in enumerate(argv[1:], 1)
             if not arg.startswith('--') and argv[i - 1] not in ('--policy', '--max-queue')]
    where = words[0] if words else '0'
    room = Room(option(argv, '--policy', 'drop'), int(option(argv, '--max-queue', 1 << 20)),
                '--once' in argv)
    server = room.server = net.createServer(room.on_connection)

    def on_listening():
        address = server.address()
        if isinstance(address, dict):
            address = '%(address)s:%(port)s' % address
        say('listening on %s' % address)
    if '/' in where:
        server.listen(where, on_listening)  # a Unix socket
    else:
        server.listen(int(where), '127.0.0.1', on_listening)
    net.run()


if __name__ == '__main__':
    main(sys.argv)
