"""What a chunk is: validation on the way in, and taking bytes off a read buffer.

Owns: the normalisation of chunks given to ``Writable.write`` (Node's
``_write`` checks: None, type, encoding; ``str`` -> ``bytes`` when
``decode_strings``), of chunks given to ``Readable.push``/``unshift`` (copies
of mutable buffers, ``str`` with an encoding), and the Readable buffer
arithmetic (Node's ``howMuchToRead`` and ``fromList``).
Must not import: gevent, greenlet, socket, the loop, the stream classes
(pure functions over a state object).
"""

from __future__ import annotations

from typing import Any, Optional, Tuple

from .. import errors
from .encodings import decode, encode, normalize

__all__ = ['normalize_written', 'normalize_pushed', 'how_much_to_read', 'from_list',
           'CHUNK_TYPES']

#: the chunk types a byte-mode stream accepts besides ``str``
CHUNK_TYPES = (bytes, bytearray, memoryview)
_EXPECTED = ['str', 'bytes', 'bytearray', 'memoryview']


def _check_encoding(encoding: Any) -> None:
    if encoding is not None and encoding != 'buffer' and normalize(encoding) is None:
        raise errors.ERR_UNKNOWN_ENCODING(encoding)


def normalize_written(chunk: Any, encoding: Any, default_encoding: str,
                      decode_strings: bool) -> Tuple[Any, str]:
    """``(chunk, encoding)`` as ``_write`` will get them, or raise (W1).

    Bytes-like chunks get encoding ``'buffer'``; a ``str`` is encoded (Node's
    ``Buffer.from(chunk, encoding)``) unless ``decode_strings`` is False, in
    which case it keeps its (canonical) encoding.  A ``str`` written as
    ``'buffer'`` is ``ERR_UNKNOWN_ENCODING`` when it would be encoded, as in
    Node (:meth:`gnet.streams.base.Stream._string_as_buffer_error` lets a socket say otherwise).
    """
    if chunk is None:
        raise errors.ERR_STREAM_NULL_VALUES()
    if isinstance(chunk, str):
        if not encoding:
            encoding = default_encoding
        elif encoding == 'buffer':  # Node: Buffer.from(str, 'buffer') throws
            if decode_strings:
                raise errors.ERR_UNKNOWN_ENCODING(encoding)
            return chunk, encoding  # decodeStrings false: _write gets the string as is
        else:
            norm = normalize(encoding)
            if norm is None:
                raise errors.ERR_UNKNOWN_ENCODING(encoding)
            encoding = norm
        if decode_strings:
            return encode(chunk, encoding), 'buffer'
        return chunk, encoding
    if isinstance(chunk, CHUNK_TYPES):
        _check_encoding(encoding)
        if chunk.__class__ is memoryview and (chunk.format != 'B' or chunk.ndim != 1):
            chunk = chunk.cast('B') if chunk.c_contiguous else memoryview(chunk.tobytes())
        return chunk, 'buffer'
    raise errors.ERR_INVALID_ARG_TYPE('chunk', _EXPECTED, chunk)


def normalize_pushed(chunk: Any, encoding: Any, default_encoding: str,
                     stream_encoding: Optional[str], unshift: bool = False) -> Tuple[Any, str]:
    """``(chunk, encoding)`` for ``push``/``unshift`` in byte mode.

    Returns ``encoding == ''`` for bytes (to be decoded if the stream has an
    encoding) and the stream's encoding for a ``str`` already in it.  For
    ``unshift`` the result is ready for the buffer (decoded when the stream
    has an encoding).  Raises ``ERR_INVALID_ARG_TYPE`` for other types.
    """
    if isinstance(chunk, str):
        encoding = normalize(encoding or default_encoding) or 'utf8'
        if stream_encoding != encoding:
            chunk = encode(chunk, encoding)
            if unshift and stream_encoding:
                return decode(chunk, stream_encoding), stream_encoding
            return chunk, ''
        return chunk, encoding
    if isinstance(chunk, CHUNK_TYPES):
        chunk = bytes(chunk)  # a copy: the producer may reuse its buffer
        if unshift and stream_encoding:
            return decode(chunk, stream_encoding), stream_encoding
        return chunk, ''
    raise errors.ERR_INVALID_ARG_TYPE('chunk', _EXPECTED, chunk)


def how_much_to_read(n: Optional[int], state: Any) -> int:
    """Node's ``howMuchToRead``; ``n`` None means "what a read() should return"."""
    if (n is not None and n <= 0) or (state.length == 0 and state.ended):
        return 0
    if state.object_mode:
        return 1
    if n is None:
        if state.flowing and state.length:
            return len(state.buffer[0])
        return state.length  # type: ignore[no-any-return]
    if n <= state.length:
        return n
    return state.length if state.ended else 0


def from_list(n: int, state: Any) -> Any:
    """Node's ``fromList``: take ``n`` bytes (chars, one object) off ``state.buffer``.

    Does not touch ``state.length`` (the caller does).
    """
    buf = state.buffer
    if state.length == 0 or not buf:
        return None
    if state.object_mode:
        return buf.pop(0)
    if n >= state.length:
        if len(buf) == 1:
            return buf.pop(0)
        ret = ('' if state.decoder is not None else b'').join(buf)
        buf.clear()
        return ret
    first = buf[0]
    if n < len(first):
        buf[0] = first[n:]
        return first[:n]
    if n == len(first):
        return buf.pop(0)
    parts = []
    while buf:
        data = buf[0]
        if n > len(data):
            parts.append(buf.pop(0))
            n -= len(data)
        else:
            if n == len(data):
                parts.append(buf.pop(0))
            else:
                parts.append(data[:n])
                buf[0] = data[n:]
            break
    return ('' if state.decoder is not None else b'').join(parts)
