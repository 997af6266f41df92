"""The TLS handle: a stream handle layered over another one, as Node's TLSWrap.

Owns: :class:`TLSHandle` (and :class:`TCPTLSHandle` and :class:`PipeTLSHandle`,
the same over a TCP or Unix handle, passing its capabilities through), the ciphertext the
transport has not yet taken, and the readiness the socket's greenlet waits
on.  The socket above it is a plain :class:`gnet.net.socket.Socket` loop:
``try_read`` gives plaintext, ``try_write`` takes plaintext, "would block"
is said the usual way; the record layer (:mod:`gnet.tls.record`) does the
cryptography, and the inner handle -- TCP, a Unix socket, a pipe -- moves
the ciphertext.
Must not import: streams, net sockets or servers (this is a handle).

Unlike a transport handle this one holds bytes: the records of a write
that the transport did not take at once (Node's TLSWrap holds them too).
It takes no new plaintext until they are gone, so backpressure reaches the
socket unchanged.  Its readiness watchers are the layer's, not a
descriptor's: the read watcher fires when plaintext is buffered, or when
the transport is readable; the write watcher when the handshake is done and
the transport can take more.  During the handshake the transport is read
whatever the socket wants, since the handshake needs the peer.

The handshake's end is reported through ``on_secure()`` and never inside a
read that returns data: the read that completes it says "would block", so
that the socket emits its secure event before the first ``'data'``.
"""

from __future__ import annotations

from typing import Any, Callable, Dict, Optional, Sequence

from zope.interface import implementer

from .. import errors
from ..interfaces import IPipeHandle, IStreamHandle, ITCPHandle
from .record import RecordLayer
from .watchers import LayerWatcher, ignore

__all__ = ['TLSHandle', 'TCPTLSHandle', 'PipeTLSHandle', 'wrap_handle', 'CIPHER_READ', 'PLAIN_WRITE_MAX']

#: ciphertext read from the transport at once (a little over four full records)
CIPHER_READ = 65536 + 256
#: plaintext encrypted per try_write: larger writes are taken in parts, so a
#: huge chunk never becomes one huge ciphertext buffer
PLAIN_WRITE_MAX = 65536


@implementer(IStreamHandle)
class TLSHandle:
    """TLS over ``inner`` (a connected stream handle); see the module docstring."""

    __slots__ = ('inner', 'record', 'read_watcher', 'write_watcher', 'bytes_written', 'unconnected',
                 '_hub', '_out', '_on_secure', '_shutdown_pending', '_error', '_reading',
                 '_writing', '_fire_scheduled', 'on_session', '_session_reads', '_session_id',
                 'hello_parser', 'on_client_hello', 'hold_output', '__weakref__')

    read_size_max = 65536

    def __init__(self, inner: Any, record: RecordLayer, hub: Any,
                 on_secure: Callable[[], Any]):
        self.inner: Any = inner
        self.record: RecordLayer = record
        self._hub = hub
        self._on_secure = on_secure
        self.read_watcher: LayerWatcher = LayerWatcher(self)
        self.write_watcher: LayerWatcher = LayerWatcher(self)
        self.bytes_written: int = 0            # plaintext taken, as Node's TLSSocket counts
        self.unconnected: bool = False
        self._out = bytearray()           # ciphertext the transport has not taken yet
        self._shutdown_pending = False    # end(): the FIN waits for the queued records
        self._error: Optional[BaseException] = None  # met while flushing in the hub
        self._reading = False             # the inner read watcher is started
        self._writing = False             # the inner write watcher is started
        self._fire_scheduled = False
        #: called with each new resumable session the peer gives (a client's 'session')
        self.on_session: Optional[Callable[[Any], Any]] = None
        self._session_reads = 8  # reads after the handshake that look for a session ticket
        self._session_id = b''
        #: a server's session cache (Node's ClientHello parser): the client's first bytes are
        #: held until ``on_client_hello(hello)`` leads to ``end_hello()``
        self.hello_parser: Any = None
        self.on_client_hello: Optional[Callable[[Any], Any]] = None
        #: records stay in the layer, not sent ('newSession' not answered yet, as Node's EncOut)
        self.hold_output: bool = False

    # -- what the socket reads of the handle ---------------------------------------------
    @property
    def fileno(self) -> int:
        return int(self.inner.fileno)

    @property
    def closed(self) -> bool:
        return bool(self.inner.closed)

    @property
    def secure(self) -> bool:
        return self.record.handshake_done

    def sockname(self) -> Optional[Dict[str, Any]]:
        return self.inner.sockname()  # type: ignore[no-any-return]

    def peername(self) -> Optional[Dict[str, Any]]:
        return self.inner.peername()  # type: ignore[no-any-return]

    def path(self) -> Optional[str]:
        path: Optional[str] = getattr(self.inner, 'path', lambda: None)()
        return path

    def send_first(self, data: bytes) -> None:
        """Bytes for the transport before any TLS record (a taken-over socket's unsent write)."""
        self._out[:0] = data

    # -- the handshake -------------------------------------------------------------------------
    def start(self) -> None:
        """Send the first flight (a client's ClientHello) and start reading the peer."""
        self._advance()
        self._arm()

    def _advance(self) -> bool:
        """Drive the handshake as far as the transport allows; True once it is done.

        Raises the handshake's Node error, or the transport's.
        """
        self._raise_pending()
        record = self.record
        if record.handshake_done:
            return True
        while True:
            if record.starved and not record.incoming.eof:
                # OpenSSL asked for more ciphertext than it had: a call before more
                # comes would only ask again (at the cost of an SSLWantReadError)
                if not self._pull():
                    return False
                continue
            try:
                done = record.handshake()
            except errors.NodeError:
                self._flush_alert()
                raise
            self._flush()
            if done:
                self._on_secure()
                return True

    def _pull(self) -> bool:
        """Move what the transport has into the layer: False if it would block."""
        if self.hello_parser is not None and self._awaiting_hello_answer():
            return False  # nothing more is read (nor buffered) until the listener answers
        data = self.inner.try_read(CIPHER_READ)
        if data is None:
            return False
        if not data:
            self.end_hello()  # what was held goes first: OpenSSL then meets the EOF
            self.record.receive_eof()
        elif self.hello_parser is None:
            self.record.receive(data)
        elif self.hello_parser.feed(data) and self.on_client_hello is not None:
            callback, self.on_client_hello = self.on_client_hello, None
            callback(self.hello_parser.hello)  # calls end_hello(), now or later
        return True

    def _awaiting_hello_answer(self) -> bool:
        parser = self.hello_parser
        return parser is not None and parser.done and self.on_client_hello is None

    def end_hello(self) -> None:
        """The held ClientHello (and what came after it) goes to OpenSSL; the handshake
        goes on (in the hub, whoever called)."""
        parser, self.hello_parser = self.hello_parser, None
        if parser is None:
            return
        self.on_client_hello = None
        self.record.receive(parser.take())
        self._hub.loop.run_callback(self._go_on)

    def release_output(self) -> None:
        """Send what ``hold_output`` kept (in the hub)."""
        if self.hold_output:
            self.hold_output = False
            self._hub.loop.run_callback(self._go_on)

    def _go_on(self) -> None:
        if not self.inner.closed:
            self._flush_here()
            self._wake(handshake_needs_it=not self.record.handshake_done)

    def _flush(self) -> bool:
        """Hand queued ciphertext to the transport: True when none is left."""
        record = self.record
        out = self._out
        if record.has_outgoing and not self.hold_output:
            if not out:  # the usual case: the new records go out without a copy into _out
                data = record.take_outgoing()
                sent = self.inner.try_write(data)
                if sent < len(data):
                    out += memoryview(data)[sent:]
                    self._arm()  # the transport is full: wait for it, as below
                    return False
            else:
                out += record.take_outgoing()
        while out:
            sent = self.inner.try_write(out)
            if not sent:
                self._arm()  # the layer waits for the transport itself, whoever waits above
                return False
            del out[:sent]
        if self._shutdown_pending and not self.hold_output:
            self._shutdown_pending = False
            self.inner.shutdown_write()
        return True

    def _flush_alert(self) -> None:
        """A failed handshake: what OpenSSL queued (its alert) goes out if the transport
        takes it now, as Node's does, before the socket is destroyed -- but not for an
        SNICallback's error: Node's callback is asynchronous, its error destroys the
        socket with no alert (the client's ECONNRESET)."""
        if getattr(self.record.obj, 'gnet_handshake_error', None) is not None:
            return
        try:
            self._flush()
        except errors.NodeError:
            pass  # the transport is gone too: the handshake's error is the one to report

    def _raise_pending(self) -> None:
        error = self._error
        if error is not None:
            self._error = None
            raise error

    # -- reading and writing plaintext -------------------------------------------------------------
    def try_read(self, size: int) -> Optional[bytes]:
        record = self.record
        if not record.handshake_done:
            self._advance()
            return None  # done or not: the socket hears of 'secure' before any data
        self._raise_pending()
        while True:
            data = record.read(size)
            if data and len(data) < size:
                data = self._read_more(data, size)
            if record.has_outgoing or self._out:
                self._flush()  # post-handshake messages (tickets, key updates), queued records
            if self._session_reads and self.on_session is not None:
                self._look_for_session()
            if data is not None:
                return data
            if not self._pull():
                return None

    def _read_more(self, first: bytes, size: int) -> bytes:
        """``first`` and the plaintext of the further records already received, up to
        ``size`` bytes: OpenSSL hands out one record (16 KiB at most) per read, and a
        read per record would cost the socket above a 'data' event (and the pipe a
        write) per 16 KiB.  Takes no more ciphertext from the transport."""
        record = self.record
        chunks = [first]
        got = len(first)
        while got < size and record.has_incoming and not record.peer_closed:
            try:
                more = record.read(size - got)
            except errors.NodeError as err:  # a bad record after good ones: the good
                self._error = err             # plaintext first, the error on the next read
                break
            if not more:  # None: a partial record; b'': the peer's close_notify, read next time
                break
            chunks.append(more)
            got += len(more)
        return first if len(chunks) == 1 else b''.join(chunks)

    def _look_for_session(self) -> None:
        """TLS 1.3 sends its session tickets after the handshake: report each new one
        (Python's ``ssl`` has no callback for them; the first reads are watched)."""
        self._session_reads -= 1
        session = self.record.obj.session
        if session is not None and session.has_ticket and session.id != self._session_id:
            self._session_id = session.id
            callback = self.on_session
            if callback is not None:
                callback(session)

    def try_read_into(self, buffer: Any) -> Optional[int]:
        data = self.try_read(len(buffer))
        if data is None:
            return None
        count = len(data)
        buffer[:count] = data
        return count

    def try_peek(self, size: int) -> Optional[bytes]:
        raise errors.NodeError('A TLS socket cannot peek at its plaintext', code='ERR_TLS_NO_PEEK')

    def try_write(self, data: Any) -> int:
        if not self._advance():
            return 0
        if self._out and not self._flush():
            return 0  # the earlier records come first: backpressure
        view = memoryview(data)
        if len(view) > PLAIN_WRITE_MAX:
            view = view[:PLAIN_WRITE_MAX]
        taken = self.record.write(view)
        self.bytes_written += taken
        self._flush()
        return taken

    def try_writev(self, buffers: Sequence[Any]) -> int:
        joined = bytearray()
        for buf in buffers:
            joined += buf
            if len(joined) >= PLAIN_WRITE_MAX:
                break
        return self.try_write(joined)

    def shutdown_write(self) -> None:
        """Our close_notify, then the transport's FIN once the records are out."""
        self._raise_pending()
        self.record.close_notify()
        self._shutdown_pending = True
        if not self._flush():
            self._arm()

    # -- connect, close -----------------------------------------------------------------------
    def stop_write_watcher(self) -> None:
        self.write_watcher.stop()

    def start_connect(self, address: Any) -> Optional[int]:
        return self.inner.start_connect(address)  # type: ignore[no-any-return]

    def finish_connect(self, address: Any) -> None:
        self.inner.finish_connect(address)

    def close(self) -> None:
        self._release()
        self._out = bytearray()
        self.inner.close()

    def detach(self) -> int:
        self._release()
        return int(self.inner.detach())

    def _release(self) -> None:
        """Drop the references back to the socket: a closed connection is then freed by
        reference counting at once, not by a garbage-collector pass (a cycle per
        connection made the collector's work grow with the connection rate)."""
        self.read_watcher.close()
        self.write_watcher.close()
        self._on_secure = ignore
        self.on_session = None
        self.on_client_hello = None

    # -- readiness --------------------------------------------------------------------------------
    def _arm(self) -> None:
        """Start or stop the transport's watchers for what the layer waits for now."""
        inner = self.inner
        if inner.closed:
            return
        record = self.record
        want_read = want_write = fire_now = False
        if self._out or (self._shutdown_pending and not self.hold_output):
            want_write = True
        if self.read_watcher.active:
            if record.has_incoming or record.peer_closed or self._error is not None:
                fire_now = True
            else:
                want_read = True
        if self.write_watcher.active:
            if self._error is not None:
                fire_now = True
            elif not record.handshake_done:
                want_read = True  # the handshake goes on with the peer's next flight
                if record.has_incoming:
                    fire_now = True
            elif self._out:
                want_write = True
            else:
                fire_now = True
        if not record.handshake_done and not record.peer_closed:
            want_read = True
        if self.hello_parser is not None and self._awaiting_hello_answer():
            want_read = fire_now = False  # end_hello() wakes the layer
        if fire_now and not self._fire_scheduled:
            self._fire_scheduled = True
            self._hub.loop.run_callback(self._fire)
        if want_read != self._reading:
            self._reading = want_read
            if want_read:
                inner.read_watcher.start(self._on_transport_readable)
            else:
                inner.read_watcher.stop()
        if want_write != self._writing:
            self._writing = want_write
            if want_write:
                inner.write_watcher.start(self._on_transport_writable)
            else:
                inner.stop_write_watcher()

    def _on_transport_readable(self) -> None:  # in the hub
        self.inner.read_watcher.stop()
        self._reading = False
        self._wake(handshake_needs_it=not self.record.handshake_done)

    def _on_transport_writable(self) -> None:  # in the hub
        self.inner.stop_write_watcher()
        self._writing = False
        if self._out or self._shutdown_pending:  # the layer's own records first
            self._flush_here()
        self._wake(handshake_needs_it=False)

    def _flush_here(self) -> None:
        """Flush outside any call of the socket's: a failure waits for its next call."""
        try:
            self._flush()
        except errors.NodeError as err:
            self._error = err

    def _wake(self, handshake_needs_it: bool) -> None:
        if self.read_watcher.active or self.write_watcher.active:
            self._fire()
            return
        if handshake_needs_it:  # nobody waits above, but the handshake must go on
            try:
                self._advance()
            except errors.NodeError as err:
                self._error = err
        self._arm()

    def _fire(self) -> None:  # in the hub: wake whoever waits; each callback stops its watcher
        self._fire_scheduled = False
        reader, writer = self.read_watcher, self.write_watcher
        reader_active, writer_active = reader.active, writer.active
        if reader_active:
            reader._fire()
        if writer_active:
            writer._fire()
        self._arm()


@implementer(ITCPHandle)
class TCPTLSHandle(TLSHandle):
    """TLS over a TCP handle: no-delay, keep-alive and reset act on the TCP socket."""

    __slots__ = ()

    def set_no_delay(self, enable: bool) -> None:
        self.inner.set_no_delay(enable)

    def set_keep_alive(self, enable: bool, initial_delay_s: int) -> None:
        self.inner.set_keep_alive(enable, initial_delay_s)

    def bind(self, address: str, port: int) -> None:
        self.inner.bind(address, port)

    def reset(self) -> None:
        self.read_watcher.close()
        self.write_watcher.close()
        self.inner.reset()


@implementer(IPipeHandle)
class PipeTLSHandle(TLSHandle):
    """TLS over a Unix-domain handle: its path passes through."""

    __slots__ = ()

    def path(self) -> Optional[str]:
        return self.inner.path()  # type: ignore[no-any-return]


def wrap_handle(inner: Any, record: RecordLayer, hub: Any,
                on_secure: Callable[[], Any]) -> TLSHandle:
    """The TLS handle for ``inner``: the capabilities of TCP or of a Unix socket pass
    through when it has them (so TLS keeps the transport's contracts)."""
    cls = (TCPTLSHandle if ITCPHandle.providedBy(inner)
           else PipeTLSHandle if IPipeHandle.providedBy(inner) else TLSHandle)
    return cls(inner, record, hub, on_secure)
