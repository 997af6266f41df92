"""gnet.tls session ticket keys: the ticket_keys option, get_ticket_keys(), set_ticket_keys().

As node 20 (checked): the option must be a buffer (ERR_INVALID_ARG_TYPE) of
exactly 48 bytes (ERR_INVALID_ARG_VALUE "must be exactly 48 bytes"); a server
without it has random keys of its own, 48 bytes; set_ticket_keys() replaces
them. Servers given the same keys resume each other's sessions, over TLS 1.2
and TLS 1.3; servers with different keys do not.
"""

import pytest
from gevent.event import AsyncResult

import gnet
import gnet.tls as tls
from net_helpers import WAIT, connect_options

KEYS = bytes(range(48))
OTHER_KEYS = bytes(range(100, 148))


def greeting_server(tls_server, **options):
    return tls_server('tcp4', lambda conn: conn.end(b'hello'), **options)


def session_from(server, version, session=None):
    """Connect, read the greeting to the end (a TLS 1.3 ticket comes after the handshake);
    returns (reused, session)."""
    client = tls.connect(dict(connect_options(server), reject_unauthorized=False,
                              max_version=version, session=session))
    got = AsyncResult()
    sessions = []
    client.on('session', sessions.append)
    client.on('secureConnect', lambda: got.set(client.is_session_reused()))
    client.resume()
    reused = got.get(timeout=WAIT)
    gnet.once(client, 'close', timeout=WAIT)
    return reused, (sessions[-1] if sessions else client.get_session())


@pytest.mark.parametrize('version', ['TLSv1.2', 'TLSv1.3'])
def test_servers_with_the_same_keys_resume_each_others_sessions(tls_server, version):
    first = greeting_server(tls_server, ticket_keys=KEYS)
    second = greeting_server(tls_server, ticketKeys=bytearray(KEYS))
    other = greeting_server(tls_server, ticket_keys=OTHER_KEYS)
    reused, session = session_from(first, version)
    assert reused is False and session is not None and session.has_ticket
    reused, _ = session_from(second, version, session)
    assert reused is True
    reused, _ = session_from(other, version, session)
    assert reused is False


def test_set_ticket_keys_and_get_ticket_keys(tls_server):
    server = greeting_server(tls_server)
    own = server.get_ticket_keys()
    assert isinstance(own, bytes) and len(own) == 48  # random, per server
    assert greeting_server(tls_server).getTicketKeys() != own
    reused, session = session_from(server, 'TLSv1.2')
    server.set_ticket_keys(KEYS)
    assert server.get_ticket_keys() == KEYS
    reused, _ = session_from(server, 'TLSv1.2', session)
    assert reused is False  # sealed with the old keys
    reused, session = session_from(server, 'TLSv1.2')
    peer = greeting_server(tls_server)
    peer.setTicketKeys(memoryview(KEYS))
    reused, _ = session_from(peer, 'TLSv1.2', session)
    assert reused is True


@pytest.mark.parametrize('value, error, message', [
    ('x' * 48, 'ERR_INVALID_ARG_TYPE', None),
    (bytes(47), 'ERR_INVALID_ARG_VALUE',
     "The property 'options.ticketKeys' must be exactly 48 bytes. Received 47"),
])
def test_ticket_keys_option_errors(pki, value, error, message):
    for make in (lambda: tls.create_server(key=pki.leaf.key, cert=pki.leaf.chain, ticket_keys=value),
                 lambda: tls.create_secure_context({'ticketKeys': value})):
        with pytest.raises(TypeError) as info:
            make()
        assert info.value.code == error
        if message:
            assert str(info.value) == message


def test_set_ticket_keys_errors(pki):
    server = tls.create_server(key=pki.leaf.key, cert=pki.leaf.chain)
    with pytest.raises(TypeError) as info:
        server.set_ticket_keys('x')
    assert info.value.code == 'ERR_INVALID_ARG_TYPE'
    with pytest.raises(TypeError) as info:
        server.set_ticket_keys(bytes(10))
    assert info.value.code == 'ERR_INVALID_ARG_VALUE'
    assert tls.create_server(key=pki.leaf.key, cert=pki.leaf.chain, ticket_keys=None).get_ticket_keys()
