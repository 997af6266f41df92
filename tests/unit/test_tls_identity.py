"""gnet.tls.identity: Node's tls.checkServerIdentity, as a table checked
against node 20 running the same inputs."""

import json
import subprocess

import pytest

from gnet.errors import NodeError
from gnet.tls.identity import canonicalize_ip, check_server_identity

from tls_helpers import NODE, needs_node

SAN = 'DNS:localhost, DNS:a.test, DNS:*.wild.test, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1'


def cert(san=None, cn=None, **subject):
    out = {'subject': dict(subject, **({'CN': cn} if cn is not None else {}))}
    if san is not None:
        out['subjectaltname'] = san
    return out


# (hostname, cert, expected reason or None)
TABLE = [
    ('localhost', cert(SAN), None),
    ('LOCALHOST', cert(SAN), None),
    ('localhost.', cert(SAN), None),
    ('a.test', cert(SAN), None),
    ('b.test', cert(SAN), "Host: b.test. is not in the cert's altnames: " + SAN),
    ('x.wild.test', cert(SAN), None),
    ('X.Wild.Test.', cert(SAN), None),
    ('wild.test', cert(SAN), "Host: wild.test. is not in the cert's altnames: " + SAN),
    ('a.b.wild.test', cert(SAN), "Host: a.b.wild.test. is not in the cert's altnames: " + SAN),
    ('127.0.0.1', cert(SAN), None),
    ('::1', cert(SAN), None),
    ('0:0:0:0:0:0:0:1', cert(SAN), None),
    ('127.0.0.2', cert(SAN), "IP: 127.0.0.2 is not in the cert's list: 127.0.0.1, ::1"),
    ('::ffff:127.0.0.1', cert(SAN), "IP: ::ffff:127.0.0.1 is not in the cert's list: 127.0.0.1, ::1"),
    ('10.0.0.1', cert('DNS:10.0.0.1'), "IP: 10.0.0.1 is not in the cert's list: "),
    ('10.0.0.1', cert(None, cn='10.0.0.1'), "IP: 10.0.0.1 is not in the cert's list: "),
    ('::ffff:1.2.3.4', cert('IP Address:0:0:0:0:0:FFFF:102:304'), None),
    ('2001:db8::1', cert('IP Address:2001:DB8:0:0:0:0:0:1'), None),
    ('fe80::1%eth0', cert('IP Address:FE80:0:0:0:0:0:0:1'), None),
    ('a.test', cert(None, cn='a.test'), None),
    ('b.test', cert(None, cn='a.test'), "Host: b.test. is not cert's CN: a.test"),
    ('b.test', cert(None, cn=['a.test', 'b.test']), None),
    ('c.test', cert(None, cn=['a.test', 'b.test']), "Host: c.test. is not cert's CN: a.test,b.test"),
    ('a.test', cert('DNS:b.test', cn='a.test'), "Host: a.test. is not in the cert's altnames: DNS:b.test"),
    ('a.test', cert('IP Address:1.2.3.4', cn='a.test'), None),  # CN used: no DNS alt name
    ('a.test', cert('email:x@a.test, URI:http://a.test/'), 'Cert does not contain a DNS name'),
    ('a.test', cert(None), 'Cert does not contain a DNS name'),
    ('a.test', {}, 'Cert does not contain a DNS name'),
    ('x.a.test', cert('DNS:*.a.test'), None),
    ('foo.a.test', cert('DNS:f*.a.test'), None),
    ('foo.a.test', cert('DNS:*o.a.test'), None),
    ('foo.a.test', cert('DNS:b*.a.test'), "Host: foo.a.test. is not in the cert's altnames: DNS:b*.a.test"),
    ('fo.a.test', cert('DNS:fo*o.a.test'), "Host: fo.a.test. is not in the cert's altnames: DNS:fo*o.a.test"),
    ('a.test', cert('DNS:*.test'), "Host: a.test. is not in the cert's altnames: DNS:*.test"),
    ('a.b.test', cert('DNS:*.*.test'), "Host: a.b.test. is not in the cert's altnames: DNS:*.*.test"),
    ('a.b.test', cert('DNS:a.*.test'), "Host: a.b.test. is not in the cert's altnames: DNS:a.*.test"),
    ('xn--abc.a.test', cert('DNS:xn--*.a.test'),
     "Host: xn--abc.a.test. is not in the cert's altnames: DNS:xn--*.a.test"),
    ('xn--bcher-kva.test', cert('DNS:xn--bcher-kva.test'), None),
    ('bücher.test', cert('DNS:bücher.test'), "Host: bücher.test. is not in the cert's altnames: DNS:bücher.test"),
    ('a..test', cert('DNS:a..test'), "Host: a..test. is not in the cert's altnames: DNS:a..test"),
    ('a.test', cert('DNS:a.test.'), None),
    ('', cert(SAN), "Host: . is not in the cert's altnames: " + SAN),
    ('a,b.test', cert('DNS:"a,b.test"'), None),
    ('x.test', cert('DNS:"a,b.test", DNS:x.test'), None),
    ('y.test', cert('DNS:"a\\u002cb.test", DNS:x.test'),
     'Host: y.test. is not in the cert\'s altnames: DNS:"a\\u002cb.test", DNS:x.test'),
]


@pytest.mark.parametrize('hostname,cert_dict,reason', TABLE)
def test_table(hostname, cert_dict, reason):
    err = check_server_identity(hostname, cert_dict)
    if reason is None:
        assert err is None
        return
    assert isinstance(err, NodeError)
    assert err.code == 'ERR_TLS_CERT_ALTNAME_INVALID'
    assert err.name == 'Error'
    assert err.reason == reason
    assert err.host == (hostname[:-1] if hostname.endswith('.') else hostname)
    assert err.cert is cert_dict
    assert str(err) == "Hostname/IP does not match certificate's altnames: " + reason


def test_malformed_escaped_altname_raises_format_error():
    with pytest.raises(SyntaxError) as info:
        check_server_identity('a.test', cert('DNS:"a\\x"'))
    assert info.value.code == 'ERR_TLS_CERT_ALTNAME_FORMAT'
    assert info.value.name == 'SyntaxError'
    assert str(info.value) == 'Invalid subject alternative name string'


@pytest.mark.parametrize('text,canonical', [
    ('127.0.0.1', '127.0.0.1'), ('0:0:0:0:0:0:0:1', '::1'), ('2001:DB8:0:0:1:0:0:1', '2001:db8::1:0:0:1'),
    ('0:0:0:0:0:FFFF:102:304', '::ffff:1.2.3.4'), ('::102:304', '::1.2.3.4'), ('fe80::1%eth0', 'fe80::1'),
    ('01.2.3.4', None), ('a.test', None), ('1:2:3:4:5:6:7:8:9', None),
])
def test_canonicalize_ip(text, canonical):
    assert canonicalize_ip(text) == canonical


NODE_SCRIPT = r'''
const tls = require('tls');
const rows = JSON.parse(require('fs').readFileSync(0, 'utf8'));
const out = rows.map(([host, cert]) => {
  try {
    const e = tls.checkServerIdentity(host, cert);
    return e ? {code: e.code, message: e.message, reason: e.reason, host: e.host} : null;
  } catch (e) { return {thrown: e.code, name: e.name}; }
});
process.stdout.write(JSON.stringify(out));
'''


@needs_node
def test_table_matches_node():
    rows = [[host, c] for host, c, _ in TABLE] + [['a.test', cert('DNS:"a\\x"')]]
    done = subprocess.run([NODE, '-e', NODE_SCRIPT], input=json.dumps(rows), capture_output=True, text=True,
                          timeout=60, check=True)
    theirs = json.loads(done.stdout)
    mismatches = []
    for (host, c), node in zip(rows, theirs, strict=True):
        try:
            err = check_server_identity(host, c)
            mine = None if err is None else {'code': err.code, 'message': str(err), 'reason': err.reason,
                                             'host': err.host}
        except SyntaxError as e:
            mine = {'thrown': e.code, 'name': e.name}
        if mine != node:
            mismatches.append((host, c, mine, node))
    assert mismatches == []
