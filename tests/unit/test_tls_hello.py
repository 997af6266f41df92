"""gnet.tls.hello: the ClientHello parser a server with session listeners reads first (Node's).

Whatever it is fed, take() gives back every byte in order; a hello it cannot
read (garbage, SSLv2, plain text, too long) leaves ``hello`` None so that the
bytes go to OpenSSL untouched.
"""

import ssl
import struct

import pytest

from gnet.tls.hello import MAX_HELLO, ClientHello, ClientHelloParser


def openssl_client_hello(servername='example.test', maximum=ssl.TLSVersion.TLSv1_3):
    """The first flight of a real OpenSSL client (one handshake record)."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    context.maximum_version = maximum
    incoming, outgoing = ssl.MemoryBIO(), ssl.MemoryBIO()
    obj = context.wrap_bio(incoming, outgoing, server_hostname=servername)
    with pytest.raises(ssl.SSLWantReadError):
        obj.do_handshake()
    return outgoing.read()


def extension(kind, data):
    return struct.pack('!HH', kind, len(data)) + data


def hello_body(session_id=b'', ticket=None, servername=None, extra=b''):
    body = b'\x03\x03' + bytes(32) + bytes([len(session_id)]) + session_id
    body += struct.pack('!H', 2) + b'\x13\x01' + b'\x01\x00'
    extensions = b''
    if servername is not None:
        name = servername.encode()
        entry = b'\x00' + struct.pack('!H', len(name)) + name
        extensions += extension(0, struct.pack('!H', len(entry)) + entry)
    if ticket is not None:
        extensions += extension(35, ticket)
    extensions += extra
    return body + struct.pack('!H', len(extensions)) + extensions


def message(body):
    return b'\x01' + struct.pack('!I', len(body))[1:] + body


def records(payload, size=16384):
    """``payload`` as handshake records of at most ``size`` bytes each."""
    out = b''
    for at in range(0, len(payload), size):
        chunk = payload[at:at + size]
        out += b'\x16\x03\x01' + struct.pack('!H', len(chunk)) + chunk
    return out


def parse(data, step=None):
    parser = ClientHelloParser()
    step = step or len(data)
    done = False
    for at in range(0, len(data), step):
        done = parser.feed(data[at:at + step])
    return done, parser


def test_a_real_openssl_client_hello():
    data = openssl_client_hello()
    done, parser = parse(data)
    assert done
    # TLS 1.3's middlebox-compatible session ID: 32 random bytes, no ticket yet
    assert len(parser.hello.session_id) == 32
    assert parser.hello.servername == 'example.test' and parser.hello.has_ticket is False
    assert parser.take() == data and parser.take() == b''


def test_session_id_ticket_and_name_are_read():
    body = hello_body(session_id=b'\x07' * 32, ticket=b'T' * 100, servername='a.test')
    done, parser = parse(records(message(body)))
    assert done and parser.hello == ClientHello(b'\x07' * 32, True, 'a.test')
    # an empty ticket extension offers tickets, it brings none
    done, parser = parse(records(message(hello_body(session_id=b'\x01' * 16, ticket=b''))))
    assert parser.hello == ClientHello(b'\x01' * 16, False, '')


def test_a_hello_without_extensions():
    body = hello_body(session_id=b'\x02' * 8)[:-2]  # no extensions block at all
    done, parser = parse(records(message(body)))
    assert done and parser.hello == ClientHello(b'\x02' * 8, False, '')


@pytest.mark.parametrize('step', [1, 3, 5, 6, 100])
def test_a_hello_split_across_reads(step):
    data = openssl_client_hello()
    parser = ClientHelloParser()
    results = [parser.feed(data[at:at + step]) for at in range(0, len(data), step)]
    assert results[-1] is True and not any(results[:-1])
    assert parser.hello is not None and parser.take() == data


@pytest.mark.parametrize('size', [1, 7, 50])
def test_a_hello_fragmented_over_records(size):
    body = hello_body(session_id=b'\x05' * 32, servername='frag.test')
    data = records(message(body), size)
    done, parser = parse(data, step=13)
    assert done and parser.hello == ClientHello(b'\x05' * 32, False, 'frag.test')
    assert parser.take() == data


def test_bytes_after_the_hello_are_kept_in_order():
    data = records(message(hello_body(session_id=b'\x09' * 4)))
    tail = b'\x14\x03\x03\x00\x01\x01'  # a ChangeCipherSpec record right behind it
    parser = ClientHelloParser()
    assert parser.feed(data + tail)
    assert parser.feed(b'more') is True
    assert parser.take() == data + tail + b'more'


@pytest.mark.parametrize('data', [
    b'GET / HTTP/1.1\r\nHost: x\r\n\r\n',                      # plain text
    b'\x80\x2e\x01\x00\x02\x00\x15\x00\x00\x00\x10' + bytes(37),  # an SSLv2 ClientHello
    b'\x15\x03\x03\x00\x02\x02\x28',                            # an alert
    b'\x16\x02\x00\x00\x04\x01\x00\x00\x00',                    # a major version not 3
    b'\x16\x03\x01\x00\x00',                                     # an empty record
    records(b'\x02\x00\x00\x04' + bytes(4)),                     # a ServerHello
])
def test_what_is_no_client_hello_passes_through(data):
    parser = ClientHelloParser()
    assert parser.feed(data) is True
    assert parser.hello is None and parser.take() == data


def test_garbage_is_recognized_from_its_first_bytes():
    parser = ClientHelloParser()
    assert parser.feed(b'\x80') is True and parser.hello is None
    parser = ClientHelloParser()
    assert parser.feed(b'\x16') is False and parser.feed(b'\x01') is True


@pytest.mark.parametrize('body', [
    hello_body()[:20],                                     # cut inside the random
    b'\x03\x03' + bytes(32) + b'\x21' + bytes(40),         # a 33-byte session ID
    hello_body(extra=struct.pack('!HH', 99, 10)),          # an extension cut short
    hello_body(servername='caf\xe9'),                      # a name not in ASCII
])
def test_a_malformed_hello_is_no_hello(body):
    data = records(message(body))
    done, parser = parse(data)
    assert done and parser.hello is None and parser.take() == data


def test_a_hello_too_long_is_not_parsed():
    header_and_some = records(b'\x01' + (MAX_HELLO + 1).to_bytes(3, 'big') + bytes(40))
    parser = ClientHelloParser()
    assert parser.feed(header_and_some) is True and parser.hello is None
