"""gnet.streams.encodings: Node's Buffer encodings and string_decoder.

Ports the behaviours of Node's test-buffer-from.js / test-string-decoder.js
that streams rely on; every expected value was checked with node 20.
"""

import pytest

from gnet import errors
from gnet.streams import encodings

pytestmark = pytest.mark.timeout(10)


@pytest.mark.parametrize('name,canonical', [
    ('utf8', 'utf8'), ('UTF-8', 'utf8'), ('utf-8', 'utf8'), ('latin1', 'latin1'),
    ('Binary', 'latin1'), ('ascii', 'ascii'), ('hex', 'hex'), ('base64', 'base64'),
    ('base64url', 'base64url'), ('utf16le', 'utf16le'), ('utf-16le', 'utf16le'),
    ('ucs2', 'utf16le'), ('UCS-2', 'utf16le'),
])
def test_normalize(name, canonical):
    assert encodings.normalize(name) == canonical
    assert encodings.is_encoding(name)
    assert encodings.decoder(name).encoding == canonical


@pytest.mark.parametrize('bad', ['nope', 'buffer', '', None, 5])
def test_unknown_encoding(bad):
    assert encodings.normalize(bad) is None
    with pytest.raises(errors.ERR_UNKNOWN_ENCODING) as info:
        encodings.check(bad)
    assert info.value.code == 'ERR_UNKNOWN_ENCODING'
    assert isinstance(info.value, TypeError)


@pytest.mark.parametrize('text,enc,expected', [
    ('h€', 'utf8', b'h\xe2\x82\xac'),
    ('\ud800x', 'utf8', b'\xef\xbf\xbdx'),           # lone surrogate -> U+FFFD
    ('é€', 'latin1', b'\xe9\xac'),                   # low byte of each code unit
    ('é€', 'ascii', b'\xe9\xac'),
    ('abz1', 'hex', b'\xab'),                         # stops at the first bad pair
    ('abc', 'hex', b'\xab'),                          # odd tail dropped
    ('ff00', 'hex', b'\xff\x00'),
    ('aGV sbG8=d29y', 'base64', b'hello'),            # skips junk, stops at '='
    ('aGVsbG8_-w', 'base64', b'hello?\xfb'),          # either alphabet
    ('aGVsbG8_-w==', 'base64url', b'hello?\xfb'),
    ('aGV', 'base64', b'he'),
    ('aGVsbG8', 'base64', b'hello'),
    ('hi', 'utf16le', b'h\x00i\x00'),
    ('\U0001F600', 'ucs2', b'\x3d\xd8\x00\xde'),
])
def test_encode(text, enc, expected):
    assert encodings.encode(text, enc) == expected


@pytest.mark.parametrize('data,enc,expected', [
    (bytes([1, 2, 250]), 'base64', 'AQL6'),
    (bytes([1, 2, 250, 7]), 'base64', 'AQL6Bw=='),
    (bytes([1, 2, 250, 7]), 'base64url', 'AQL6Bw'),
    (bytes([0xe9, 0x41, 0xff]), 'ascii', 'iA\x7f'),   # high bit cleared
    (bytes([0xe9]), 'latin1', 'é'),
    (bytes([1, 2]), 'hex', '0102'),
    (bytes([0x3d, 0xd8, 0x00, 0xde]), 'utf16le', '\U0001F600'),
    (bytes([0xe2, 0x82, 0x41, 0xff, 0xc0, 0x80]), 'utf8', '\ufffdA\ufffd\ufffd\ufffd'),
])
def test_decode(data, enc, expected):
    assert encodings.decode(data, enc) == expected


def test_utf8_decoder_holds_split_character():
    dec = encodings.decoder('utf8')
    data = 'h€llo😀'.encode()
    out = [dec.write(data[i:i + 1]) for i in range(len(data))]
    assert ''.join(out) + dec.end() == 'h€llo😀'
    assert out[1] == '' and out[3] == '€'


def test_utf8_decoder_end_replaces_incomplete():
    dec = encodings.decoder('utf8')
    assert dec.write(b'\xe2\x82') == ''
    assert dec.end() == '\ufffd'
    assert dec.write(b'ok') == 'ok'  # usable after end(), like Node's


def test_base64_decoder_groups_of_three():
    dec = encodings.decoder('base64')
    assert [dec.write(b'ab'), dec.write(b'cde'), dec.end()] == ['', 'YWJj', 'ZGU=']


def test_utf16_decoder_split_pair():
    dec = encodings.decoder('utf16le')
    data = '😀x'.encode('utf-16-le')
    out = ''.join(dec.write(data[i:i + 1]) for i in range(len(data))) + dec.end()
    assert out == '😀x'


def test_hex_and_latin1_decoders_are_stateless():
    assert encodings.decoder('hex').write(b'\x01\x02') == '0102'
    assert encodings.decoder('latin1').write(b'\xe9') == 'é'


def test_encodings_module_is_pure():
    import ast
    import inspect
    tree = ast.parse(inspect.getsource(encodings))
    names = {alias.name.split('.')[0] for node in ast.walk(tree)
             if isinstance(node, ast.Import) for alias in node.names}
    names |= {node.module.split('.')[0] for node in ast.walk(tree)
              if isinstance(node, ast.ImportFrom) and node.module and node.level == 0}
    assert not names & {'gevent', 'greenlet', 'socket'}
