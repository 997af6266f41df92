"""The seed's BlockList example, line by line.

    const blockList = new net.BlockList();
    blockList.addAddress('123.123.123.123');
    blockList.addRange('10.0.0.1', '10.0.0.10');
    blockList.addSubnet('8592:757c:efae:4e45::', 64, 'ipv6');

    console.log(blockList.check('123.123.123.123')); // Prints: true
    console.log(blockList.check('10.0.0.3')); // Prints: true
    console.log(blockList.check('222.111.111.222')); // Prints: false

    // IPv6 notation for IPv4 addresses works:
    console.log(blockList.check('::ffff:7b7b:7b7b', 'ipv6')); // Prints: true
    console.log(blockList.check('::ffff:123.123.123.123', 'ipv6')); // Prints: true

Run: ``python examples/blocklist.py``.  It prints what Node prints (``true``
and ``false``, as ``console.log`` writes booleans), then the list's rules, then
a server that refuses a blocked peer: a ``block_list`` on ``create_server``
closes connections from 127.0.0.1 before ``'connection'``.
"""

import gnet as net


def log(value):
    """``console.log`` for a boolean."""
    print('true' if value else 'false')


blockList = net.BlockList()
blockList.addAddress('123.123.123.123')
blockList.addRange('10.0.0.1', '10.0.0.10')
blockList.addSubnet('8592:757c:efae:4e45::', 64, 'ipv6')

log(blockList.check('123.123.123.123'))  # Prints: true
log(blockList.check('10.0.0.3'))  # Prints: true
log(blockList.check('222.111.111.222'))  # Prints: false

# IPv6 notation for IPv4 addresses works:
log(blockList.check('::ffff:7b7b:7b7b', 'ipv6'))  # Prints: true
log(blockList.check('::ffff:123.123.123.123', 'ipv6'))  # Prints: true

print(blockList.rules)


# The same list guarding a server: loopback is blocked, so the client is refused.
loopback = net.BlockList()
loopback.add_subnet('127.0.0.0', 8)
server = net.create_server({'block_list': loopback},
                           lambda socket: print('error: a blocked peer got through'))


def try_connect():
    client = net.connect(server.address()['port'], '127.0.0.1')
    client.on('error', lambda err: None)  # ECONNRESET, if the close races our first read
    client.on('close', lambda had_error: (print('blocked peer refused'), server.close()))


server.listen(0, '127.0.0.1', try_connect)
net.run()
