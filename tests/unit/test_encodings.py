"""gnet.streams.encodings: Node's Buffer encodings and string_decoder.

Ports the behaviours of Node's test-buffer-from.js / test-string-decoder.js
that streams rely on; every expected value was checked with node 20.
"""

import base64
import json
import shutil
import subprocess

import pytest
from hypothesis import HealthCheck, example, given, settings, strategies as st

from gnet import errors
from gnet.streams import encodings

NODE = shutil.which('node')

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
    # a character beyond U+00FF counts by its low byte (checked with node 20.20)
    ('\u0141\u0141\u0141\u0141', 'base64', b'\0\0\0'),    # U+0141 reads as 'A'
    ('AB\u0100\u0130', 'base64', b'\x00\x1d'),             # U+0100 skipped, U+0130 is '0'
    ('\u0130\u0130', 'hex', b'\x00'),
    ('ab\u00e9f', 'hex', b'\xab'),
    ('ab cd', 'hex', b'\xab'),                               # fromhex would skip the space
    ('aGVs\nbG8=', 'base64', b'hello'),
    ('=aGVs', 'base64', b''),
    ('aGW=', 'base64', b'he'),                               # spare bits ignored
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


# -- the hex/base64 fast path (stdlib) against Node's lenient rules ----------------------
B64_ALPHABETS = [base64.b64encode, base64.urlsafe_b64encode]
#: characters that make or break a fast path: digits and letters of both
#: alphabets, padding, white space, junk, Latin-1 and beyond (U+0130 and U+0141
#: have low bytes '0' and 'A'), a non-BMP character, a lone surrogate
TRICKY = st.text(st.sampled_from('0123456789abcdefABCDEFxyzXYZ+/-_= \n\t.\x00\xe9\xff'
                                 '\u0100\u0130\u0141\U0001F600\ud800'), max_size=40)


@pytest.fixture(params=[True, False] if encodings._STRICT_B64 else [False],
                ids=lambda strict: 'strict_mode' if strict else 'b64decode-validate')
def base64_check(request, monkeypatch):
    """Both fast paths: binascii's strict_mode (3.11+) and b64decode(validate=True) (3.9, 3.10)."""
    monkeypatch.setattr(encodings, '_STRICT_B64', request.param)


#: the fixture sets one flag for the whole test, the same for every example
ONE_FLAG = [HealthCheck.function_scoped_fixture]


@settings(max_examples=300, deadline=None, suppress_health_check=ONE_FLAG)
@given(data=st.binary(max_size=64), url=st.booleans(), unpadded=st.booleans())
def test_what_node_or_python_encoded_takes_the_fast_path(base64_check, data, url, unpadded):
    assert encodings._hex_fast(data.hex()) == data == encodings._hex_lenient(data.hex())
    assert encodings._hex_fast(data.hex().upper()) == data
    text = B64_ALPHABETS[url](data).decode('ascii')
    if unpadded:
        text = text.rstrip('=')
    assert encodings._base64_fast(text) == data == encodings._base64_lenient(text)
    assert encodings.encode(text, 'base64url') == data


@settings(max_examples=1000, deadline=None, suppress_health_check=ONE_FLAG)
@given(text=TRICKY)
@example(text='aGVs=')
@example(text='aGV==')
@example(text='a')
@example(text='=')
@example(text='ab cd')
@example(text='\u0130\u0130')
def test_the_fast_path_agrees_with_the_lenient_rules_or_declines(base64_check, text):
    fast_hex = encodings._hex_fast(text)
    assert fast_hex is None or fast_hex == encodings._hex_lenient(text)
    fast_b64 = encodings._base64_fast(text)
    assert fast_b64 is None or fast_b64 == encodings._base64_lenient(text)
    expected_b64 = encodings._base64_lenient(text)
    assert encodings.encode(text, 'hex') == encodings._hex_lenient(text)
    assert encodings.encode(text, 'base64') == expected_b64 == encodings.encode(text, 'base64url')


#: strings for the fast and the lenient paths, hex and base64 alike
NODE_CASES = ['', 'ff00', 'FF00aa', 'abc', 'abz1', 'ab cd', '\u0130\u0130', 'ab\u00e9f', 'a\U0001F600b',
              'aGVsbG8=', 'aGVsbG8', 'aGVsbG8_-w', 'aGVsbG8+/w==', 'aGV sbG8=d29y', 'aGVs\nbG8=',
              '=aGVs', 'aG==x', 'aGW=', 'aGVs=', 'aGV==', 'a', '\u0141\u0141\u0141\u0141', 'AB\u0100\u0130',
              'QUJD\ud800REVG', '-_-_', 'YWJj\u00ff\u00e9ZGVm']


@pytest.mark.timeout(30)
@pytest.mark.skipif(NODE is None, reason='node is not installed')
def test_hex_and_base64_match_node():
    script = ('const cases = JSON.parse(require("fs").readFileSync(0, "utf8"));'
              'console.log(JSON.stringify(cases.map(s => ["hex", "base64", "base64url"]'
              '.map(e => Buffer.from(s, e).toString("hex")))))')
    got = json.loads(subprocess.run([NODE, '-e', script], input=json.dumps(NODE_CASES),
                                    capture_output=True, text=True, timeout=25, check=True).stdout)
    for text, results in zip(NODE_CASES, got, strict=True):
        for enc, expected in zip(['hex', 'base64', 'base64url'], results, strict=True):
            assert encodings.encode(text, enc).hex() == expected, (text, enc)
