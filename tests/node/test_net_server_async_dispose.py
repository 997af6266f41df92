"""test-net-server-async-dispose.mjs: disposing of a listening server closes it
('close' is emitted, address() is null afterwards), and disposing of a server
that is already closed succeeds too.

Node's `await server[Symbol.asyncDispose]()` is, in Python, leaving a
`with server:` block (gnet's Server is a context manager; the exit closes it).
The block's exit does not wait for 'close' as Node's promise does, so each
`.then(mustCall())` becomes the block being left without an error (the next
line runs); 'close' itself is still counted in the first test."""

import gnet as net


def test_should_close_the_server(common):
    server = net.createServer()
    timeoutRef = net.setTimeout(common.mustNotCall(), 2 ** 31 - 1)

    def on_listening():
        with server:
            pass
        assert server.address() is None
        net.clearTimeout(timeoutRef)
    server.listen(0, common.mustCall(on_listening))

    server.on('close', common.mustCall())

    common.run()


def test_should_resolve_even_if_the_server_is_already_closed(common):
    server = net.createServer()
    timeoutRef = net.setTimeout(common.mustNotCall(), 2 ** 31 - 1)

    def on_listening():
        with server:
            pass
        with server:
            pass
        net.clearTimeout(timeoutRef)
    server.listen(0, common.mustCall(on_listening))

    common.run()
