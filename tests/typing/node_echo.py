# pyright: strict
"""Node's echo server and a client, ported with Node's names (``import gnet as net``).

The program type checkers are run over (``test_node_names_typecheck.py``):
every camelCase name below must be visible to mypy and pyright with the type
of the snake_case name it aliases.  It also runs: ``python node_echo.py``
prints one JSON line and exits (0 when the echo came back).

    const net = require('node:net');
    const blockList = new net.BlockList();
    blockList.addAddress('192.0.2.1');
    const server = net.createServer({ blockList, noDelay: true }, (sock) => {
      sock.setNoDelay(true);
      sock.setKeepAlive(true, 1000);
      sock.setTimeout(5000, () => sock.destroy());
      sock.on('data', (data) => sock.write(data));
      sock.on('end', () => sock.end());
    }).on('error', (err) => {
      throw err;
    });
    server.maxConnections = 10;
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      const client = net.createConnection({ port, host: '127.0.0.1' }, () => {
        client.setEncoding('utf8');
        client.end('hello');
      });
      ...
    });
"""

import json
import sys
from typing import Any, Dict, List, Optional

import gnet as net


def main() -> Dict[str, Any]:
    """Run the echo round trip; return what each side saw."""
    seen: Dict[str, Any] = {}
    echoed: List[str] = []

    block_list = net.BlockList()
    block_list.addAddress('192.0.2.1')
    block_list.addRange('198.51.100.1', '198.51.100.9')
    block_list.addSubnet('2001:db8::', 32, 'ipv6')
    seen['blocked'] = block_list.check('192.0.2.1') and not block_list.check('127.0.0.1')
    seen['isBlockList'] = net.BlockList.isBlockList(block_list)
    seen['rules'] = len(block_list.toJSON())

    def on_connection(sock: net.Socket) -> None:
        sock.setNoDelay(True)
        sock.setKeepAlive(True, 1000)
        sock.setTimeout(5000, sock.destroy)
        remote: Optional[str] = sock.remoteAddress
        seen['server.remote'] = remote is not None and net.isIPv4(remote)
        seen['server.remotePort'] = isinstance(sock.remotePort, int)
        seen['server.localFamily'] = sock.localFamily

        def on_data(data: bytes) -> None:
            sock.write(data)

        def on_end() -> None:
            seen['server.bytesRead'] = sock.bytesRead
            sock.end()
        sock.on('data', on_data)
        sock.on('end', on_end)

    def on_error(err: BaseException) -> None:
        raise err

    # on() returns the emitter itself (a Server here), as in Node's chained form
    server = net.createServer({'blockList': block_list, 'noDelay': True}, on_connection).on('error', on_error)
    server.maxConnections = 10
    limit: Optional[int] = server.maxConnections
    seen['maxConnections'] = limit
    seen['allowHalfOpen'] = server.allowHalfOpen

    def on_listening() -> None:
        port: int = server.address()['port']
        where = net.SocketAddress({'address': '127.0.0.1', 'port': port})
        seen['address'] = '%s:%d %s' % (where.address, where.port, where.family)
        seen['isSocketAddress'] = net.SocketAddress.isSocketAddress(where)
        client = net.createConnection({'port': where.port, 'host': where.address})

        def on_connect() -> None:
            client.setEncoding('utf8')
            client.setNoDelay()
            client.end('hello')
            seen['client.bytesWritten'] = client.bytesWritten
            seen['client.readyState'] = client.readyState

        def on_data(text: str) -> None:
            echoed.append(text)

        def on_count(err: Optional[BaseException], count: int) -> None:
            seen['connections'] = count

        def on_close(had_error: bool) -> None:
            seen['client.hadError'] = had_error
            server.close()
        client.on('connect', on_connect)
        client.on('data', on_data)
        client.on('close', on_close)
        server.getConnections(on_count)

    server.listen(0, '127.0.0.1', on_listening)
    net.run()
    seen['echo'] = ''.join(echoed)
    return seen


if __name__ == '__main__':
    result = main()
    print(json.dumps(result, sort_keys=True))
    sys.exit(0 if result['echo'] == 'hello' else 1)
