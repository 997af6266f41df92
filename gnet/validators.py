"""Node's number validators and coercions (``lib/internal/validators.js``), one family.

Owns: what a numeric argument or option may be, and the error raised when
it may not -- ``validate_number``, ``validate_integer``, ``validate_int32``,
``validate_uint32`` with Node's semantics and messages -- and the JS
coercions gnet copies where Node coerces instead of validating
(``js_number``: ``Number(x)``, ``to_int32``: ``x | 0``, ``keep_alive_seconds``:
``~~(ms / 1000)``).  Every numeric check in gnet goes through here, so that
NaN, +-infinity, a Python int too large for a float, a bool or a non-number
always ends as the Node error (``ERR_INVALID_ARG_TYPE``/``ERR_OUT_OF_RANGE``),
never as a bare ``ValueError``/``OverflowError``/``TypeError``.
Must not import: anything of gnet but :mod:`gnet.errors` (pure; the streams
use it too).

Python values stand for JS numbers as follows: ``int`` and ``float`` are
numbers (``bool`` is not: JS ``true`` is a boolean); an ``int`` beyond the
float range is an infinite number, as ``Number(10n ** 400n)`` is.
"""

import math
import re
from typing import Any, Optional, Union

from . import errors

__all__ = ['is_number', 'is_integer', 'js_number', 'to_int32', 'js_falsy', 'js_parse_int', 'keep_alive_seconds',
           'validate_number', 'validate_integer', 'validate_int32', 'validate_uint32', 'timer_duration',
           'MAX_SAFE_INTEGER', 'INT32_MIN', 'INT32_MAX', 'UINT32_MAX', 'TIMEOUT_MAX']

Number = Union[int, float]

#: ``Number.MAX_SAFE_INTEGER``: ``validate_integer``'s default bounds are +-this
MAX_SAFE_INTEGER = 2 ** 53 - 1
#: the int32 bounds of ``validate_int32``
INT32_MIN, INT32_MAX = -2 ** 31, 2 ** 31 - 1
#: the largest ``validate_uint32`` value
UINT32_MAX = 2 ** 32 - 1
#: the longest timer Node arms (ms): a signed 32-bit int
TIMEOUT_MAX = INT32_MAX


def is_number(value: Any) -> bool:
    """``typeof value === 'number'``: an int or a float, never a bool."""
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def is_integer(value: Any) -> bool:
    """``Number.isInteger(value)``: an integral number, finite as JS holds it (no NaN,
    no infinity, no int beyond the float range)."""
    if not is_number(value):
        return False
    number: Number = value
    return math.isfinite(_as_float(number)) and (isinstance(number, int) or number.is_integer())


def _as_float(value: Number) -> float:
    """A number as JS holds it: an int too large for a float is +-infinity."""
    try:
        return float(value)
    except OverflowError:
        return math.inf if value > 0 else -math.inf


def js_number(value: Any) -> float:
    """JS ``Number(value)`` for the values a Python caller passes.

    Numbers are themselves, ``None`` (undefined) is NaN, a bool 0 or 1, a
    numeric string its value (``''`` is 0, ``'0x10'`` 16, ``'Infinity'``
    infinite), an empty list 0; anything else is NaN.
    """
    if isinstance(value, bool):
        return float(value)
    if is_number(value):
        return _as_float(value)
    if isinstance(value, str):
        return _string_number(value.strip())
    if isinstance(value, (list, tuple)) and not value:
        return 0.0
    return math.nan


def _string_number(text: str) -> float:
    if not text:
        return 0.0
    if text in ('Infinity', '+Infinity', '-Infinity'):
        return -math.inf if text[0] == '-' else math.inf
    try:
        if text[:2].lower() in ('0x', '0o', '0b'):
            return float(int(text, 0))
        if '_' in text or text.lower().lstrip('+-') in ('inf', 'infinity', 'nan'):
            return math.nan  # digit separators and Python's spellings are not JS numbers
        return float(text)
    except (ValueError, OverflowError):
        return math.nan


def to_int32(value: Any) -> int:
    """JS ``value | 0`` (``~~value``): NaN and infinities are 0, the rest wraps mod 2**32."""
    number = js_number(value)
    if not math.isfinite(number):
        return 0
    return (int(number) + 2 ** 31) % 2 ** 32 - 2 ** 31


def js_parse_int(value: Any) -> Optional[int]:
    """The integer ``Readable.read(n)`` takes: ``n`` if it is an integer, else ``parseInt(n, 10)``.

    None stands for NaN (what ``read()`` with no size does).  As in JS a
    float that is not whole is cut at its point, one written with an exponent
    (below 1e-6) gives its leading digit, and text gives its leading digits.
    """
    if isinstance(value, bool) or value is None:
        return None  # parseInt('true'), parseInt('null'): NaN
    if isinstance(value, int):
        return value if math.isfinite(_as_float(value)) else None
    if isinstance(value, float):
        if not math.isfinite(value):
            return None
        if value.is_integer() or abs(value) >= 1e-6:
            return int(value)
        digit = int(repr(abs(value))[0])  # JS: String(1.5e-7) is '1.5e-7'
        return -digit if value < 0 else digit
    if isinstance(value, str):
        match = _LEADING_INT.match(value)
        return int(match.group(1)) if match else None
    return None


_LEADING_INT = re.compile(r'\s*([+-]?[0-9]+)')


def js_falsy(value: Any) -> bool:
    """JS falsiness: None, False, 0, NaN, ``''`` (an empty list or dict is truthy)."""
    if value is None or value is False:
        return True
    if is_number(value):
        return bool(value == 0 or value != value)
    return isinstance(value, str) and value == ''


def keep_alive_seconds(initial_delay_ms: Any) -> int:
    """Node's ``~~(initialDelay / 1000)``: the keep-alive idle time handed to the handle.

    Any value is accepted (``setKeepAlive`` never throws): a non-number is
    NaN, so 0; a delay of 2**31 s or more wraps to a negative int32, which the
    handle, like libuv, cannot apply -- the kernel's default idle time stays.
    The result always fits a C int.
    """
    number = js_number(initial_delay_ms)
    return to_int32(number / 1000.0) if math.isfinite(number) else 0


def _range_text(minimum: Optional[Number], maximum: Optional[Number]) -> str:
    parts = []
    if minimum is not None:
        parts.append('>= %s' % minimum)
    if maximum is not None:
        parts.append('<= %s' % maximum)
    return ' && '.join(parts)


def validate_number(value: Any, name: str, minimum: Optional[Number] = None,
                    maximum: Optional[Number] = None) -> Number:
    """Node's ``validateNumber``: a number, within the bounds given.

    Not a number: ``ERR_INVALID_ARG_TYPE``.  Below ``minimum``, above
    ``maximum``, or NaN when a bound is given: ``ERR_OUT_OF_RANGE``.  With no
    bounds NaN and the infinities pass, as in Node.
    """
    if not is_number(value):
        raise errors.ERR_INVALID_ARG_TYPE(name, 'number', value)
    number: Number = value
    if minimum is None and maximum is None:
        return number
    if (number != number or (minimum is not None and number < minimum)
            or (maximum is not None and number > maximum)):
        raise errors.ERR_OUT_OF_RANGE(name, _range_text(minimum, maximum), value)
    return number


def validate_integer(value: Any, name: str, minimum: int = -MAX_SAFE_INTEGER,
                     maximum: int = MAX_SAFE_INTEGER) -> int:
    """Node's ``validateInteger``: an integral number in ``minimum..maximum``.

    Not a number: ``ERR_INVALID_ARG_TYPE``; fractional, NaN or infinite:
    ``ERR_OUT_OF_RANGE`` "an integer"; outside the bounds: ``ERR_OUT_OF_RANGE``
    ">= minimum && <= maximum".
    """
    if not is_number(value):
        raise errors.ERR_INVALID_ARG_TYPE(name, 'number', value)
    if not is_integer(value):  # fractional, NaN or infinite
        raise errors.ERR_OUT_OF_RANGE(name, 'an integer', value)
    if not minimum <= value <= maximum:
        raise errors.ERR_OUT_OF_RANGE(name, _range_text(minimum, maximum), value)
    return int(value)


def timer_duration(value: Any, name: str) -> Number:
    """Node's ``getTimerDuration``: a finite number >= 0 (ms), kept as given.

    Not a number: ``ERR_INVALID_ARG_TYPE``; negative, NaN or infinite (an
    int too large for a float included): ``ERR_OUT_OF_RANGE`` "a
    non-negative finite number".  Callers arm at most :data:`TIMEOUT_MAX`.
    """
    validate_number(value, name)
    number: Number = value
    if not 0 <= _as_float(number) < math.inf:  # also NaN
        raise errors.ERR_OUT_OF_RANGE(name, 'a non-negative finite number', value)
    return number


def validate_int32(value: Any, name: str, minimum: int = INT32_MIN,
                   maximum: int = INT32_MAX) -> int:
    """Node's ``validateInt32``: :func:`validate_integer` within int32 bounds."""
    return validate_integer(value, name, minimum, maximum)


def validate_uint32(value: Any, name: str, positive: bool = False) -> int:
    """Node's ``validateUint32``: an integer in ``0..2**32-1`` (``1..`` if ``positive``)."""
    return validate_integer(value, name, 1 if positive else 0, UINT32_MAX)
