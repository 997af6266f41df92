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

from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple, Union

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

    def on(event: str, listener: Callable[..., Any]) -> 'IEventEmitter':
        """Append ``listener``; return the emitter."""

    def once(event: str, listener: Callable[..., Any]) -> 'IEventEmitter':
        """Append a listener removed before its first call; return the emitter."""

    def off(event: str, listener: Callable[..., Any]) -> 'IEventEmitter':
        """Remove the last-added instance of ``listener``; return the emitter."""

    def prepend_listener(event: str, listener: Callable[..., Any]) -> 'IEventEmitter':
        """Insert ``listener`` first; return the emitter."""

    def prepend_once_listener(event: str, listener: Callable[..., Any]) -> 'IEventEmitter':
        """Insert a once-listener first; return the emitter."""

    def remove_all_listeners(event: Optional[str] = None) -> 'IEventEmitter':
        """Remove every listener (of ``event``); return the emitter."""

    def emit(event: str, *args: Any) -> bool:
        """Call the listeners of ``event`` with ``args``; True if there were any.

        ``'error'`` with no listener raises the error."""

    def listeners(event: str) -> List[Callable[..., Any]]:
        """A copy of the listener list, once-wrappers unwrapped."""

    def raw_listeners(event: str) -> List[Callable[..., Any]]:
        """A copy of the listener list, once-wrappers included."""

    def listener_count(event: str, listener: Optional[Callable[..., Any]] = None) -> int:
        """How many listeners ``event`` has (of ``listener`` if given)."""

    def event_names() -> List[str]:
        """The events that have listeners."""

    def set_max_listeners(n: int) -> 'IEventEmitter':
        """Warn (once per event) past ``n`` listeners; 0 disables."""

    def get_max_listeners() -> float:
        """The current limit (default 10)."""


class ITimer(Interface):
    """Node's Timeout/Immediate object."""

    def ref() -> 'ITimer':
        """Keep ``gnet.run()`` alive while pending; return self."""

    def unref() -> 'ITimer':
        """Let ``gnet.run()`` return while pending; return self."""

    def has_ref() -> bool:
        """True if the timer keeps the loop alive."""

    def refresh() -> 'ITimer':
        """Restart the timer's countdown from now; return self."""

    def close() -> 'ITimer':
        """Cancel the timer; return self."""


class ILoop(Interface):
    """The event loop over gevent's hub (one per hub)."""

    def run() -> None:
        """Block until nothing referenced is left; re-raise an uncaught error."""

    def next_tick(fn: Callable[..., Any], *args: Any) -> None:
        """Run ``fn`` after the current operation, before any immediate or timer."""

    def set_immediate(fn: Callable[..., Any], *args: Any) -> ITimer:
        """Run ``fn`` after pending ticks and earlier immediates; returns ITimer."""

    def set_timeout(fn: Callable[..., Any], ms: Any, *args: Any) -> ITimer:
        """Run ``fn`` after ``ms`` milliseconds (never synchronously); returns ITimer."""

    def set_interval(fn: Callable[..., Any], ms: Any, *args: Any) -> ITimer:
        """Run ``fn`` every ``ms`` milliseconds; returns ITimer."""

    def ref_handle(handle: Any) -> None:
        """Count ``handle`` as keeping the loop alive."""

    def unref_handle(handle: Any) -> None:
        """Stop counting ``handle``."""

    def report(exc: BaseException, source: Any = None, origin: str = 'uncaughtException') -> bool:
        """An uncaught exception: to ``gnet.process``'s handlers (True), else
        raised from ``run()`` or logged (False)."""


class IAbortSignal(IEventEmitter):
    """Node's AbortSignal: one ``'abort'`` event, then ``aborted`` and ``reason``."""

    aborted: bool = Attribute('True once aborted.')
    reason: Any = Attribute('The abort reason (an AbortError by default).')

    def throw_if_aborted() -> None:
        """Raise ``reason`` if aborted."""


class IWritable(IEventEmitter):
    """The writable side of a stream: contracts W1-W5."""

    writable: bool = Attribute('True while write() may be called.')
    writable_ended: bool = Attribute('True once end() was called.')
    writable_finished: bool = Attribute("True once 'finish' was emitted.")
    writable_length: int = Attribute('Bytes (or objects) queued, not yet written.')
    writable_high_water_mark: int = Attribute('The W2 threshold.')
    writable_need_drain: bool = Attribute("True after write() returned False until 'drain'.")
    writable_corked: int = Attribute('Number of pending uncork() calls.')
    destroyed: bool = Attribute('True once destroy() was called.')

    def write(chunk: Any, encoding: Any = None, cb: Optional[Callable[..., Any]] = None) -> bool:
        """Queue ``chunk`` (W1, W4); return the W2 answer."""

    def end(chunk: Any = None, encoding: Any = None, cb: Optional[Callable[..., Any]] = None) -> 'IWritable':
        """Write ``chunk`` if given, then finish (W5); return the stream."""

    def cork() -> None:
        """Buffer writes until uncork()."""

    def uncork() -> None:
        """Flush what cork() held (once per cork)."""

    def set_default_encoding(encoding: str) -> 'IWritable':
        """Encoding for str chunks written without one."""

    def destroy(err: Optional[BaseException] = None) -> 'IWritable':
        """D2; return the stream."""


class IReadable(IEventEmitter):
    """The readable side of a stream: contracts R1-R4."""

    readable: bool = Attribute('True until the stream ended, errored or was destroyed.')
    readable_flowing: Optional[bool] = Attribute('None, True or False (Node tri-state).')
    readable_length: int = Attribute('Bytes (or objects) buffered.')
    readable_high_water_mark: int = Attribute('R2 threshold.')
    readable_ended: bool = Attribute("True once 'end' was emitted.")
    readable_encoding: Optional[str] = Attribute('The set_encoding() value, or None.')

    def push(chunk: Any, encoding: Optional[str] = None) -> bool:
        """Buffer ``chunk`` (None = EOF); False when the buffer is full."""

    def unshift(chunk: Any, encoding: Optional[str] = None) -> bool:
        """Put ``chunk`` back at the front of the buffer."""

    def read(size: Optional[int] = None) -> Any:
        """Take up to ``size`` from the buffer (paused mode)."""

    def pause() -> 'IReadable':
        """Stop 'data' (R2); return the stream."""

    def resume() -> 'IReadable':
        """Restart 'data'; return the stream."""

    def is_paused() -> bool:
        """True if pause() was called explicitly."""

    def set_encoding(encoding: Optional[str]) -> 'IReadable':
        """R3; return the stream."""

    def pipe(destination: Any, end: Any = True) -> Any:
        """Pipe into ``destination`` with backpressure; return it."""

    def unpipe(destination: Any = None) -> 'IReadable':
        """Stop piping; return the stream."""

    def destroy(err: Optional[BaseException] = None) -> 'IReadable':
        """D2; return the stream."""


class IDuplex(IReadable, IWritable):
    """Both sides: D1-D3."""

    allow_half_open: bool = Attribute('D1.')
    closed: bool = Attribute("True once 'close' was emitted.")
    errored: Optional[BaseException] = Attribute('The error the stream was destroyed with, or None.')

    def destroy(err: Optional[BaseException] = None) -> 'IDuplex':
        """D2; return the stream."""


class ISocket(IDuplex):
    """Node's net.Socket: C1, K1, T1 on top of the Duplex contracts."""

    connecting: bool = Attribute('True between connect() and connect/error.')
    pending: bool = Attribute('True until connected.')
    ready_state: str = Attribute("'opening', 'open', 'readOnly', 'writeOnly' or 'closed'.")
    bytes_read: int = Attribute('Bytes received.')
    bytes_written: int = Attribute('Bytes the kernel accepted.')
    buffer_size: int = Attribute('Deprecated alias of writable_length.')
    timeout: Optional[float] = Attribute('Idle timeout in ms, or None.')
    local_address: Optional[str] = Attribute('')
    local_port: Optional[int] = Attribute('')
    local_family: Optional[str] = Attribute('')
    remote_address: Optional[str] = Attribute('')
    remote_port: Optional[int] = Attribute('')
    remote_family: Optional[str] = Attribute('')

    def connect(*args: Any) -> 'ISocket':
        """Start connecting (C1); return the socket."""

    def set_timeout(ms: Any, callback: Optional[Callable[..., Any]] = None) -> 'ISocket':
        """T1; return the socket."""

    def set_no_delay(no_delay: bool = True) -> 'ISocket':
        """K1; return the socket."""

    def set_keep_alive(enable: bool = False, initial_delay: Any = 0) -> 'ISocket':
        """K1; return the socket."""

    def address() -> Dict[str, Any]:
        """The local address dict (or {} when unknown)."""

    def destroy_soon() -> None:
        """End, then destroy once the queue is flushed."""

    def reset_and_destroy() -> 'ISocket':
        """Close with RST (TCP only)."""

    def ref() -> 'ISocket':
        """Keep gnet.run() alive; return the socket."""

    def unref() -> 'ISocket':
        """Let gnet.run() return; return the socket."""


class IServer(IEventEmitter):
    """Node's net.Server: S1-S6."""

    listening: bool = Attribute('True while accepting.')
    max_connections: Optional[int] = Attribute('Drop connections beyond this count (S3).')

    def listen(*args: Any) -> 'IServer':
        """Start listening in any of Node's signatures (S1, S2); return the server."""

    def close(callback: Optional[Callable[..., Any]] = None) -> 'IServer':
        """Stop accepting (S4); return the server."""

    def address() -> Union[Dict[str, Any], str, None]:
        """``{'port', 'family', 'address'}``, a path, or None."""

    def get_connections(callback: Callable[..., Any]) -> 'IServer':
        """S6; return the server."""

    def ref() -> 'IServer':
        """Keep gnet.run() alive; return the server."""

    def unref() -> 'IServer':
        """Let gnet.run() return; return the server."""


class IBlockList(Interface):
    """Node's net.BlockList (addresses, ranges, subnets; O(log n) check)."""

    rules: List[str] = Attribute("Node's rule strings, in Node's order.")

    def add_address(address: Any, family: Optional[str] = 'ipv4') -> None:
        """Block one address."""

    def add_range(start: Any, end: Any, family: Optional[str] = 'ipv4') -> None:
        """Block an inclusive range."""

    def add_subnet(net: Any, prefix: int, family: Optional[str] = 'ipv4') -> None:
        """Block a CIDR subnet."""

    def check(address: Any, family: Optional[str] = 'ipv4') -> bool:
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

    fileno: int = Attribute('The descriptor, or -1 once closed or detached.')
    closed: bool = Attribute('True once close() or detach() was called.')
    bytes_written: int = Attribute(
        'Bytes the kernel accepted so far (the one sent-byte counter; received bytes are '
        "counted by the socket, because a PROXY header's bytes must not count).")
    read_size_max: int = Attribute('The largest recv() size worth growing reads to on this transport.')
    read_watcher: Any = Attribute(
        'A gevent io watcher for readability, holding no loop reference.  The caller '
        'starts it with a callback and stops it when woken: gnet uses it one-shot, '
        'so a callback never runs twice for one wake-up.')
    write_watcher: Any = Attribute(
        'The same for writability, made on first use (most sockets never wait to write).')
    unconnected: bool = Attribute(
        'True for a descriptor adopted (``Socket({fd})``) with no peer and not listening: '
        'the next connect() connects it, as Node connects the handle a socket has.  '
        'start_connect() clears it.')

    def stop_write_watcher() -> None:
        """Stop the write watcher if it was ever made (no-op otherwise)."""

    def start_connect(address: Any) -> Optional[int]:
        """Begin a non-blocking connect: 0 if connected at once, else EINPROGRESS.

        Wait for writability, then call :meth:`finish_connect`.  Raises
        ``SysError(syscall='connect')`` for an immediate failure."""

    def finish_connect(address: Any) -> None:
        """After writability: return if connected, raise the connect ``SysError`` if not."""

    def try_read(size: int) -> Optional[bytes]:
        """``recv(size)``: bytes; ``b''`` at EOF; None if it would block."""

    def try_read_into(buffer: Any) -> Optional[int]:
        """``recv_into(buffer)``: the count; 0 at EOF; None if it would block."""

    def try_peek(size: int) -> Optional[bytes]:
        """``recv(size, MSG_PEEK)``: what the kernel holds, left in place; ``b''`` at EOF;
        None if it would block."""

    def try_write(data: Any) -> int:
        """Non-blocking send: how many bytes the kernel took (0 if it would block)."""

    def try_writev(buffers: Sequence[Any]) -> int:
        """Non-blocking ``sendmsg`` of several buffers (at most IOV_MAX at once):
        bytes taken (0 if it would block)."""

    def shutdown_write() -> None:
        """Half-close (send FIN); a socket that is not connected is not an error."""

    def close() -> None:
        """Stop the watchers and close the descriptor; idempotent."""

    def detach() -> int:
        """Stop the watchers and give up the descriptor, returned still open."""

    def sockname() -> Optional[Dict[str, Any]]:
        """The local ``{'address', 'family', 'port'}``, or None (always None on a pipe)."""

    def peername() -> Optional[Dict[str, Any]]:
        """The remote ``{'address', 'family', 'port'}``, or None (always None on a pipe)."""


class ITCPHandle(IStreamHandle):
    """TCP's capabilities.  Ask ``ITCPHandle.providedBy(handle)``: a pipe never provides it."""

    def set_no_delay(enable: bool) -> None:
        """Set TCP_NODELAY; may raise ``OSError`` (the socket ignores it, as Node does)."""

    def set_keep_alive(enable: bool, initial_delay_s: int) -> None:
        """SO_KEEPALIVE=enable; when enabling, TCP_KEEPIDLE=initial_delay_s, then (if the
        kernel took it: 1..32767) TCP_KEEPCNT=10, TCP_KEEPINTVL=1 (libuv's
        ``uv_tcp_keepalive``); raises ``OSError`` for a refused idle time."""

    def bind(address: str, port: int) -> None:
        """Bind the local end (SO_REUSEADDR on) before :meth:`start_connect`."""

    def reset() -> None:
        """Close with SO_LINGER 0, so that the peer sees ECONNRESET; idempotent."""


class IPipeHandle(IStreamHandle):
    """A Unix-domain stream socket: nothing TCP-only, plus its path."""

    def path() -> Optional[str]:
        """The bound or connected path (or abstract name), or None."""


class IListenHandle(Interface):
    """A listening socket, driven by an accept loop (``gnet.net.accept``).

    Callers: the server's accept greenlet and the cluster primary's
    round-robin acceptor.  Each listen handle accepts into its sibling
    stream handle: TCP into an ``ITCPHandle``, Unix into an ``IPipeHandle``.
    """

    fileno: int = Attribute('The descriptor, or -1 once closed.')
    read_watcher: Any = Attribute(
        'A gevent io watcher for "a connection may be pending", holding no loop reference; '
        'used one-shot by the server\'s greenlet.')

    def try_accept() -> Optional[Tuple[IStreamHandle, Any]]:
        """One non-blocking accept: ``(stream handle, peer address)``, or None if none is pending.

        Errors are raised as ``OSError`` for the accept policy to sort.  On a
        capacity error (out of descriptors or memory) the handle first sheds
        its backlog (:meth:`shed_pending`), so peers see a close, not a hang."""

    def shed_pending() -> int:
        """Free the spare descriptor, accept and close what is pending, take the
        spare back; return how many connections were closed."""

    def retake_reserve() -> None:
        """Open the spare descriptor again if :meth:`shed_pending` could not (a
        descriptor was freed: one of the server's connections closed)."""

    def wait_readable() -> None:
        """Block the calling greenlet until a connection may be pending."""

    def sockname() -> Union[Dict[str, Any], str, None]:
        """The bound ``{'address', 'family', 'port'}``, or the path for a Unix socket."""

    def close() -> None:
        """Stop listening; unlink a path this handle created; idempotent."""
