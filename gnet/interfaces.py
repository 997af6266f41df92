"""The contracts of gnet, as zope.interface declarations.

Owns: the public interfaces and the behavioural contract IDs that the test
suite names its tests after (``test_W2_...``).  ``verifyObject`` checks names
and signatures; ``tests/conformance`` checks the behaviour written here.
Must not import: anything from gnet (every other module imports this one).

Contract IDs
------------
Each behavioural contract is stated once, in :data:`CONTRACTS` below (the
list is appended to this docstring); the docs quote or link to it, and a
test (``tests/unit/test_contract_docs.py``) fails on a paraphrase.
"""

from typing import Dict

from zope.interface import Attribute, Interface

#: contract ID -> the contract, the one place each is stated (tests are named after the IDs)
CONTRACTS: Dict[str, str] = {
    # Writable
    'W1': "``write`` accepts bytes/bytearray/memoryview/str(+encoding) and rejects None "
          "(ERR_STREAM_NULL_VALUES) and other types (ERR_INVALID_ARG_TYPE) synchronously.",
    'W2': "``write()`` returns True iff, after queueing, ``writable_length < "
          "writable_high_water_mark`` or ``writable_length == 0`` (as in Node 20: with "
          "``high_water_mark=0`` a write whose ``_write`` completes synchronously returns "
          "True); it returns False once the stream is destroyed or errored, and for a write "
          "after ``end()``.",
    'W3': "after a False, exactly one asynchronous ``'drain'`` once the queue is empty.",
    'W4': "bytes arrive in call order; each write callback fires exactly once, in order, "
          "with None or the error.",
    'W5': "``end()`` flushes everything queued, runs ``_final``, then ``'finish'`` (once, "
          "asynchronously); writes after ``end()`` fail with ERR_STREAM_WRITE_AFTER_END "
          "(callback and ``'error'``).",
    # Readable
    'R1': "``'data'`` is delivered only while flowing; adding a ``'data'`` listener starts "
          "the flow unless ``pause()`` was called.",
    'R2': "after ``pause()`` reading stops once the buffer reaches its high-water mark, so "
          "the producer (the peer) feels backpressure.",
    'R3': "with ``set_encoding`` data arrives as ``str``, a multi-byte character split "
          "across chunks arrives whole.",
    'R4': "``'end'`` exactly once, after the last ``'data'``, never after ``'error'``.",
    # Duplex
    'D1': "with ``allow_half_open=False`` the readable side's end also ends the writable "
          "side; with True the stream stays writable.",
    'D2': "``destroy`` is idempotent: ``'error'`` (if any) then ``'close'`` exactly once; "
          "pending write callbacks receive ERR_STREAM_DESTROYED (or the destroy error).",
    'D3': "event order: ``'end'`` before ``'close'``, ``'finish'`` before ``'close'``, "
          "``'error'`` before ``'close'``, ``'close'`` last.",
    # Socket
    'C1': "``'connect'`` precedes ``'ready'``; writes made while connecting are flushed in "
          "order after connect; connect errors are ``'error'`` (SysError with "
          "code/syscall/address/port) then ``'close'(True)``, never raised from "
          "``connect()``.",
    'K1': "``set_keep_alive``/``set_no_delay`` return the socket, never raise, are cached "
          "before connect, apply SO_KEEPALIVE=1, TCP_KEEPIDLE=delay//1000, TCP_KEEPCNT=10, "
          "TCP_KEEPINTVL=1 / TCP_NODELAY on TCP and are no-ops on IPC.",
    'T1': "``'timeout'`` fires after the idle time without closing the socket; activity "
          "refreshes it; 0 disables it.",
    # Server
    'S1': "a second ``listen`` raises ERR_SERVER_ALREADY_LISTEN.",
    'S2': "``'listening'`` and the listen callback are asynchronous; listen errors are "
          "``'error'`` events and listen may be retried.",
    'S3': "over ``max_connections`` the connection is closed and ``'drop'`` emitted.",
    'S4': "``close`` stops accepting at once; ``'close'`` waits for every connection; close "
          "on a stopped server gives ERR_SERVER_NOT_RUNNING to the callback.",
    'S5': "``'connection'`` precedes any ``'data'`` of that socket; each connection's "
          "listeners run in its own greenlet.",
    'S6': "``get_connections`` answers asynchronously with the live count.",
}

__doc__ = (__doc__ or '') + '\n' + '\n'.join('%s %s' % item for item in CONTRACTS.items()) + '\n'

__all__ = ['IEventEmitter', 'ILoop', 'ITimer', 'IAbortSignal', 'IReadable',
           'IWritable', 'IDuplex', 'ISocket', 'IServer', 'IBlockList',
           'IStreamHandle', 'ITCPHandle', 'IPipeHandle', 'IListenHandle']


class IEventEmitter(Interface):
    """Node's EventEmitter: listeners run synchronously, in order, inside emit."""

    def on(event, listener):
        """Append ``listener``; return the emitter."""

    def once(event, listener):
        """Append a listener removed before its first call; return the emitter."""

    def off(event, listener):
        """Remove the last-added instance of ``listener``; return the emitter."""

    def prepend_listener(event, listener):
        """Insert ``listener`` first; return the emitter."""

    def prepend_once_listener(event, listener):
        """Insert a once-listener first; return the emitter."""

    def remove_all_listeners(event=None):
        """Remove every listener (of ``event``); return the emitter."""

    def emit(event, *args):
        """Call the listeners of ``event`` with ``args``; True if there were any.

        ``'error'`` with no listener raises the error."""

    def listeners(event):
        """A copy of the listener list, once-wrappers unwrapped."""

    def raw_listeners(event):
        """A copy of the listener list, once-wrappers included."""

    def listener_count(event, listener=None):
        """How many listeners ``event`` has (of ``listener`` if given)."""

    def event_names():
        """The events that have listeners."""

    def set_max_listeners(n):
        """Warn (once per event) past ``n`` listeners; 0 disables."""

    def get_max_listeners():
        """The current limit (default 10)."""


class ITimer(Interface):
    """Node's Timeout/Immediate object."""

    def ref():
        """Keep ``gnet.run()`` alive while pending; return self."""

    def unref():
        """Let ``gnet.run()`` return while pending; return self."""

    def has_ref():
        """True if the timer keeps the loop alive."""

    def refresh():
        """Restart the timer's countdown from now; return self."""

    def close():
        """Cancel the timer; return self."""


class ILoop(Interface):
    """The event loop over gevent's hub (one per hub)."""

    def run():
        """Block until nothing referenced is left; re-raise an uncaught error."""

    def next_tick(fn, *args):
        """Run ``fn`` after the current operation, before any immediate or timer."""

    def set_immediate(fn, *args):
        """Run ``fn`` after pending ticks and earlier immediates; returns ITimer."""

    def set_timeout(fn, ms, *args):
        """Run ``fn`` after ``ms`` milliseconds (never synchronously); returns ITimer."""

    def set_interval(fn, ms, *args):
        """Run ``fn`` every ``ms`` milliseconds; returns ITimer."""

    def ref_handle(handle):
        """Count ``handle`` as keeping the loop alive."""

    def unref_handle(handle):
        """Stop counting ``handle``."""

    def report(exc, source=None):
        """An uncaught exception: raised from ``run()`` or logged."""


class IAbortSignal(IEventEmitter):
    """Node's AbortSignal: one ``'abort'`` event, then ``aborted`` and ``reason``."""

    aborted = Attribute('True once aborted.')
    reason = Attribute('The abort reason (an AbortError by default).')

    def throw_if_aborted():
        """Raise ``reason`` if aborted."""


class IWritable(IEventEmitter):
    """The writable side of a stream: contracts W1-W5."""

    writable = Attribute('True while write() may be called.')
    writable_ended = Attribute('True once end() was called.')
    writable_finished = Attribute("True once 'finish' was emitted.")
    writable_length = Attribute('Bytes (or objects) queued, not yet written.')
    writable_high_water_mark = Attribute('The W2 threshold.')
    writable_need_drain = Attribute("True after write() returned False until 'drain'.")
    writable_corked = Attribute('Number of pending uncork() calls.')
    destroyed = Attribute('True once destroy() was called.')

    def write(chunk, encoding=None, cb=None):
        """Queue ``chunk`` (W1, W4); return the W2 answer."""

    def end(chunk=None, encoding=None, cb=None):
        """Write ``chunk`` if given, then finish (W5); return the stream."""

    def cork():
        """Buffer writes until uncork()."""

    def uncork():
        """Flush what cork() held (once per cork)."""

    def set_default_encoding(encoding):
        """Encoding for str chunks written without one."""

    def destroy(err=None):
        """D2; return the stream."""


class IReadable(IEventEmitter):
    """The readable side of a stream: contracts R1-R4."""

    readable = Attribute('True until the stream ended, errored or was destroyed.')
    readable_flowing = Attribute('None, True or False (Node tri-state).')
    readable_length = Attribute('Bytes (or objects) buffered.')
    readable_high_water_mark = Attribute('R2 threshold.')
    readable_ended = Attribute("True once 'end' was emitted.")
    readable_encoding = Attribute('The set_encoding() value, or None.')

    def push(chunk, encoding=None):
        """Buffer ``chunk`` (None = EOF); False when the buffer is full."""

    def unshift(chunk, encoding=None):
        """Put ``chunk`` back at the front of the buffer."""

    def read(size=None):
        """Take up to ``size`` from the buffer (paused mode)."""

    def pause():
        """Stop 'data' (R2); return the stream."""

    def resume():
        """Restart 'data'; return the stream."""

    def is_paused():
        """True if pause() was called explicitly."""

    def set_encoding(encoding):
        """R3; return the stream."""

    def pipe(destination, end=True):
        """Pipe into ``destination`` with backpressure; return it."""

    def unpipe(destination=None):
        """Stop piping; return the stream."""

    def destroy(err=None):
        """D2; return the stream."""


class IDuplex(IReadable, IWritable):
    """Both sides: D1-D3."""

    allow_half_open = Attribute('D1.')
    closed = Attribute("True once 'close' was emitted.")
    errored = Attribute('The error the stream was destroyed with, or None.')


class ISocket(IDuplex):
    """Node's net.Socket: C1, K1, T1 on top of the Duplex contracts."""

    connecting = Attribute('True between connect() and connect/error.')
    pending = Attribute('True until connected.')
    ready_state = Attribute("'opening', 'open', 'readOnly', 'writeOnly' or 'closed'.")
    bytes_read = Attribute('Bytes received.')
    bytes_written = Attribute('Bytes the kernel accepted.')
    buffer_size = Attribute('Deprecated alias of writable_length.')
    timeout = Attribute('Idle timeout in ms, or None.')
    local_address = Attribute('')
    local_port = Attribute('')
    local_family = Attribute('')
    remote_address = Attribute('')
    remote_port = Attribute('')
    remote_family = Attribute('')

    def connect(*args):
        """Start connecting (C1); return the socket."""

    def set_timeout(ms, callback=None):
        """T1; return the socket."""

    def set_no_delay(no_delay=True):
        """K1; return the socket."""

    def set_keep_alive(enable=False, initial_delay=0):
        """K1; return the socket."""

    def address():
        """The local address dict (or {} when unknown)."""

    def destroy_soon():
        """End, then destroy once the queue is flushed."""

    def reset_and_destroy():
        """Close with RST (TCP only)."""

    def ref():
        """Keep gnet.run() alive; return the socket."""

    def unref():
        """Let gnet.run() return; return the socket."""


class IServer(IEventEmitter):
    """Node's net.Server: S1-S6."""

    listening = Attribute('True while accepting.')
    max_connections = Attribute('Drop connections beyond this count (S3).')

    def listen(*args):
        """Start listening in any of Node's signatures (S1, S2); return the server."""

    def close(callback=None):
        """Stop accepting (S4); return the server."""

    def address():
        """``{'port', 'family', 'address'}``, a path, or None."""

    def get_connections(callback):
        """S6; return the server."""

    def ref():
        """Keep gnet.run() alive; return the server."""

    def unref():
        """Let gnet.run() return; return the server."""


class IBlockList(Interface):
    """Node's net.BlockList (addresses, ranges, subnets; O(log n) check)."""

    rules = Attribute("Node's rule strings, in Node's order.")

    def add_address(address, family='ipv4'):
        """Block one address."""

    def add_range(start, end, family='ipv4'):
        """Block an inclusive range."""

    def add_subnet(net, prefix, family='ipv4'):
        """Block a CIDR subnet."""

    def check(address, family='ipv4'):
        """True if ``address`` matches a rule; False for malformed input."""


class IStreamHandle(Interface):
    """The I/O seam under a net.Socket: one connected (or connecting) stream socket.

    Callers: the socket (``gnet.net.socket``), its connect plan, its greenlet
    (``gnet.runtime.runner``), the PROXY gate and the cluster's dealer.
    The handle does I/O only; it never buffers, emits or decides.  Every
    ``try_*`` method is non-blocking: it does what the kernel allows now and
    says "would block" by its return value (None, or 0 for writes), never by
    raising.  Real failures raise a gnet ``SysError`` (an ``OSError`` with
    Node's ``code`` and ``syscall``): a raw ``OSError`` never leaves a handle.
    Waiting is the caller's: it starts a watcher with a callback.
    """

    fileno = Attribute('The descriptor, or -1 once closed or detached.')
    closed = Attribute('True once close() or detach() was called.')
    bytes_written = Attribute(
        'Bytes the kernel accepted so far (the one sent-byte counter; received bytes are '
        "counted by the socket, because a PROXY header's bytes must not count).")
    read_size_max = Attribute('The largest recv() size worth growing reads to on this transport.')
    read_watcher = Attribute(
        'A gevent io watcher for readability, holding no loop reference.  The caller '
        'starts it with a callback and stops it when woken: gnet uses it one-shot, '
        'so a callback never runs twice for one wake-up.')
    write_watcher = Attribute(
        'The same for writability, made on first use (most sockets never wait to write).')

    def stop_write_watcher():
        """Stop the write watcher if it was ever made (no-op otherwise)."""

    def start_connect(address):
        """Begin a non-blocking connect: 0 if connected at once, else EINPROGRESS.

        Wait for writability, then call :meth:`finish_connect`.  Raises
        ``SysError(syscall='connect')`` for an immediate failure."""

    def finish_connect(address):
        """After writability: return if connected, raise the connect ``SysError`` if not."""

    def try_read(size):
        """``recv(size)``: bytes; ``b''`` at EOF; None if it would block."""

    def try_read_into(buffer):
        """``recv_into(buffer)``: the count; 0 at EOF; None if it would block."""

    def try_peek(size):
        """``recv(size, MSG_PEEK)``: what the kernel holds, left in place; ``b''`` at EOF;
        None if it would block."""

    def try_write(data):
        """Non-blocking send: how many bytes the kernel took (0 if it would block)."""

    def try_writev(buffers):
        """Non-blocking ``sendmsg`` of several buffers (at most IOV_MAX at once):
        bytes taken (0 if it would block)."""

    def shutdown_write():
        """Half-close (send FIN); a socket that is not connected is not an error."""

    def close():
        """Stop the watchers and close the descriptor; idempotent."""

    def detach():
        """Stop the watchers and give up the descriptor, returned still open."""

    def sockname():
        """The local ``{'address', 'family', 'port'}``, or None (always None on a pipe)."""

    def peername():
        """The remote ``{'address', 'family', 'port'}``, or None (always None on a pipe)."""


class ITCPHandle(IStreamHandle):
    """TCP's capabilities.  Ask ``ITCPHandle.providedBy(handle)``: a pipe never provides it."""

    def set_no_delay(enable):
        """Set TCP_NODELAY; may raise ``OSError`` (the socket ignores it, as Node does)."""

    def set_keep_alive(enable, initial_delay_s):
        """SO_KEEPALIVE=enable; when enabling, TCP_KEEPIDLE=initial_delay_s (if > 0),
        TCP_KEEPCNT=10, TCP_KEEPINTVL=1 (libuv's ``uv_tcp_keepalive``)."""

    def bind(address, port):
        """Bind the local end (SO_REUSEADDR on) before :meth:`start_connect`."""

    def reset():
        """Close with SO_LINGER 0, so that the peer sees ECONNRESET; idempotent."""


class IPipeHandle(IStreamHandle):
    """A Unix-domain stream socket: nothing TCP-only, plus its path."""

    def path():
        """The bound or connected path (or abstract name), or None."""


class IListenHandle(Interface):
    """A listening socket, driven by an accept loop (``gnet.net.accept``).

    Callers: the server's accept greenlet and the cluster primary's
    round-robin acceptor.  Each listen handle accepts into its sibling
    stream handle: TCP into an ``ITCPHandle``, Unix into an ``IPipeHandle``.
    """

    fileno = Attribute('The descriptor, or -1 once closed.')
    read_watcher = Attribute(
        'A gevent io watcher for "a connection may be pending", holding no loop reference; '
        'used one-shot by the server\'s greenlet.')

    def try_accept():
        """One non-blocking accept: ``(stream handle, peer address)``, or None if none is pending.

        Errors are raised as ``OSError`` for the accept policy to sort.  On a
        capacity error (out of descriptors or memory) the handle first sheds
        its backlog (:meth:`shed_pending`), so peers see a close, not a hang."""

    def shed_pending():
        """Free the spare descriptor, accept and close what is pending, take the
        spare back; return how many connections were closed."""

    def wait_readable():
        """Block the calling greenlet until a connection may be pending."""

    def sockname():
        """The bound ``{'address', 'family', 'port'}``, or the path for a Unix socket."""

    def close():
        """Stop listening; unlink a path this handle created; idempotent."""
