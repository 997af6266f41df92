"""A throw-away test PKI, made at run time with the ``openssl`` command.

Owns: generating (never committing) keys and certificates for TLS tests -- a
root CA, an intermediate CA, an unrelated second root, leaves signed by either
CA with the SANs asked for, a self-signed leaf, an expired leaf, a not yet
valid one and a client certificate for mutual TLS -- as PEM bytes in small
frozen dataclasses, written into a directory the caller gives, and cached per
directory for the life of the process.
Must not import: gevent, greenlet, socket, gnet.net, gnet.runtime, gnet.streams
(it runs ``openssl`` through ``subprocess`` and nothing else).

Keys are EC P-256 (fast to make); :meth:`TestPKI.issue` makes an RSA key on
request.  A missing ``openssl`` is :class:`OpenSSLNotFound`, a loud error:
tests that need the PKI fail with that message instead of skipping silently.
"""

import base64
import os
import shutil
import subprocess
import threading
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Sequence, Tuple

__all__ = ['Credential', 'TestPKI', 'OpenSSLNotFound', 'make_pki', 'pem_to_der', 'pem_certs']

ROOT_SUBJECT = '/C=US/ST=California/L=San Francisco/O=gnet test/OU=TLS/CN=gnet Test Root CA'
INTERMEDIATE_SUBJECT = '/C=US/O=gnet test/OU=TLS/OU=Intermediate/CN=gnet Test Intermediate CA'
OTHER_ROOT_SUBJECT = '/C=DE/O=Elsewhere/CN=Unrelated Root CA'
LEAF_DNS = ('localhost', 'a.test', '*.wild.test')
LEAF_IPS = ('127.0.0.1', '::1')
OCSP_URL = 'http://ocsp.a.test/'
CA_ISSUERS_URL = 'http://ca.a.test/root.crt'


class OpenSSLNotFound(RuntimeError):
    """The ``openssl`` command is not installed: the test PKI cannot be made."""


@dataclass(frozen=True)
class Credential:
    """One certificate with its private key, PEM-encoded.

    ``chain`` is what a server presents: the certificate, then the
    intermediates above it (never the root).  The ``*_path`` attributes name
    the same bytes on disk; ``issuer`` names the issuing credential
    (``'self'`` for a self-signed one)."""

    name: str
    key: bytes
    cert: bytes
    chain: bytes
    key_path: str
    cert_path: str
    chain_path: str
    issuer: str = 'self'

    @property
    def der(self) -> bytes:
        """The certificate in DER."""
        return pem_to_der(self.cert)

    @property
    def chain_der(self) -> List[bytes]:
        """The presented chain in DER, leaf first."""
        return [pem_to_der(pem) for pem in pem_certs(self.chain)]


def pem_certs(pem: bytes) -> List[bytes]:
    """Split a PEM bundle into its ``CERTIFICATE`` blocks (each with its armor)."""
    begin, end = b'-----BEGIN CERTIFICATE-----', b'-----END CERTIFICATE-----'
    found: List[bytes] = []
    start = pem.find(begin)
    while start >= 0:
        stop = pem.index(end, start) + len(end)
        found.append(pem[start:stop] + b'\n')
        start = pem.find(begin, stop)
    return found


def pem_to_der(pem: bytes) -> bytes:
    """The DER of the first certificate in ``pem``."""
    block = pem_certs(pem)[0]
    body = block.split(b'-----')[2]
    return base64.b64decode(b''.join(body.split()))


def _openssl() -> str:
    path = shutil.which('openssl')
    if path is None:
        raise OpenSSLNotFound('the test PKI needs the openssl command-line tool, and it is not on PATH '
                              '(install openssl: apt-get install openssl)')
    return path


_CA_CONF = """\
[ca]
default_ca = gnet_ca
[gnet_ca]
database = {db}/index.txt
serial = {db}/serial
new_certs_dir = {db}
default_md = sha256
policy = gnet_policy
unique_subject = no
copy_extensions = none
email_in_dn = yes
[gnet_policy]
commonName = optional
"""


@dataclass(frozen=True)
class TestPKI:
    """The standard set of credentials; :meth:`issue` makes more on demand.

    * ``root`` and ``intermediate`` (signed by root, ``pathlen:0``) are CAs;
      ``other_root`` is a CA nobody trusts.
    * ``leaf`` is signed by the root, ``inter_leaf`` by the intermediate (its
      ``chain`` includes the intermediate); both name ``localhost``,
      ``a.test``, ``*.wild.test``, ``127.0.0.1`` and ``::1``, and carry
      authority information access (OCSP and CA issuers URIs).
    * ``self_signed`` (a non-CA leaf for ``localhost``), ``expired``
      (2020-2021) and ``not_yet_valid`` (from 2090) leaves; the last two are
      signed by the root.
    * ``client`` is a client certificate (``clientAuth``) signed by the root.
    """

    __test__ = False  # not a pytest test class, despite the name

    directory: str
    root: Credential
    intermediate: Credential
    other_root: Credential
    leaf: Credential
    inter_leaf: Credential
    self_signed: Credential
    expired: Credential
    not_yet_valid: Credential
    client: Credential
    _issued: Dict[str, Credential] = field(default_factory=dict, compare=False, repr=False)

    def credentials(self) -> Dict[str, Credential]:
        """Every credential made so far, by name."""
        found = {c.name: c for c in (self.root, self.intermediate, self.other_root, self.leaf, self.inter_leaf,
                                     self.self_signed, self.expired, self.not_yet_valid, self.client)}
        found.update(self._issued)
        return found

    def issue(self, name: str, dns: Sequence[str] = (), ips: Sequence[str] = (), *,
              issuer: str = 'root', cn: Optional[str] = None, client: bool = False, ca: bool = False,
              key_type: str = 'ec', not_before: Optional[str] = None, not_after: Optional[str] = None,
              extra_ext: Sequence[str] = ()) -> Credential:
        """A new credential called ``name`` (cached: a second call returns the
        first one, whatever the other arguments).  ``issuer`` is ``'root'``,
        ``'intermediate'``, ``'other_root'``, ``'self'`` or the name of an
        issued CA credential; ``not_before``/``not_after`` are
        ``YYYYMMDDHHMMSSZ``; ``extra_ext`` are more ``openssl`` extension lines
        (a ``[section]`` line among them starts a section that the lines
        before it can name, as ``subjectAltName = @alt``).  ``cn`` may be a
        whole ``/C=../CN=..`` subject, in UTF-8."""
        if name in self._issued:
            return self._issued[name]
        made = _Maker(self.directory).make(
            name, cn or (dns[0] if dns else name), dns, ips, issuer=self._issuer(issuer), client=client, ca=ca,
            key_type=key_type, not_before=not_before, not_after=not_after, extra_ext=extra_ext)
        self._issued[name] = made
        return made

    def _issuer(self, name: str) -> Optional[Credential]:
        if name == 'self':
            return None
        found = self.credentials().get(name)
        if found is None:
            raise ValueError('unknown issuer %r' % (name,))
        return found


class _Maker:
    """Runs ``openssl`` in ``directory``; one ``openssl ca`` database per issuer."""

    def __init__(self, directory: str) -> None:
        self.directory = directory
        self.tool = _openssl()

    def run(self, *args: str) -> None:
        done = subprocess.run((self.tool,) + args, cwd=self.directory, stdin=subprocess.DEVNULL,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, check=False)
        if done.returncode != 0:
            raise RuntimeError('openssl %s failed (%d): %s' % (
                args[0], done.returncode, done.stderr.decode('utf-8', 'replace').strip()))

    def path(self, name: str) -> str:
        return os.path.join(self.directory, name)

    def new_key(self, name: str, key_type: str) -> str:
        key = self.path(name + '.key')
        if key_type == 'ec':
            self.run('genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', key)
        elif key_type == 'rsa':
            self.run('genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', key)
        else:
            raise ValueError('key_type must be ec or rsa, not %r' % (key_type,))
        return key

    def make(self, name: str, subject: str, dns: Sequence[str], ips: Sequence[str], *,
             issuer: Optional[Credential], client: bool = False, ca: bool = False, pathlen: Optional[int] = None,
             key_type: str = 'ec', not_before: Optional[str] = None, not_after: Optional[str] = None,
             extra_ext: Sequence[str] = (), aia: bool = False, emails: Sequence[str] = ()) -> Credential:
        if not subject.startswith('/'):
            subject = '/C=US/O=gnet test/CN=' + subject
        key = self.new_key(name, key_type)
        cert = self.path(name + '.crt')
        ext = self.path(name + '.ext')
        with open(ext, 'w', encoding='ascii') as f:
            f.write('[v3]\n' + '\n'.join(self.extensions(dns, ips, emails, client, ca, pathlen, aia, extra_ext)) + '\n')
        if issuer is None:
            self.run('req', '-new', '-x509', '-utf8', '-key', key, '-subj', subject, '-days', '3650', '-sha256',
                     '-config', ext, '-extensions', 'v3', '-out', cert)
        else:
            csr = self.path(name + '.csr')
            self.run('req', '-new', '-utf8', '-key', key, '-subj', subject, '-config', ext, '-out', csr)
            db = self.path(issuer.name + '.db')
            conf = db + '.cnf'
            if not os.path.isdir(db):
                os.mkdir(db)
                open(os.path.join(db, 'index.txt'), 'w').close()
                with open(conf, 'w', encoding='ascii') as f:
                    f.write(_CA_CONF.format(db=db))
            dates: Tuple[str, ...] = ('-days', '3650')
            if not_before or not_after:
                dates = ('-startdate', not_before or '20200101000000Z', '-enddate', not_after or '20991231000000Z')
            self.run('ca', '-batch', '-utf8', '-config', conf, '-cert', issuer.cert_path, '-keyfile', issuer.key_path,
                     '-in', csr, '-out', cert, '-notext', '-preserveDN', '-rand_serial', '-subj', subject,
                     '-extfile', ext, '-extensions', 'v3', *dates)
        with open(key, 'rb') as f:
            key_pem = f.read()
        with open(cert, 'rb') as f:
            cert_pem = pem_certs(f.read())[0]
        with open(cert, 'wb') as f:
            f.write(cert_pem)
        chain_pem = cert_pem
        if issuer is not None and issuer.issuer != 'self':
            chain_pem += issuer.chain  # intermediates ride along; a root never does
        chain = self.path(name + '.chain.pem')
        with open(chain, 'wb') as f:
            f.write(chain_pem)
        return Credential(name, key_pem, cert_pem, chain_pem, key, cert, chain,
                          'self' if issuer is None else issuer.name)

    @staticmethod
    def extensions(dns: Sequence[str], ips: Sequence[str], emails: Sequence[str], client: bool, ca: bool,
                   pathlen: Optional[int], aia: bool, extra: Sequence[str]) -> List[str]:
        lines = ['subjectKeyIdentifier = hash']
        if ca:
            lines.append('basicConstraints = critical, CA:TRUE' + ('' if pathlen is None else ', pathlen:%d' % pathlen))
            lines.append('keyUsage = critical, keyCertSign, cRLSign')
        else:
            lines.append('basicConstraints = critical, CA:FALSE')
            lines.append('keyUsage = critical, digitalSignature, keyEncipherment')
            lines.append('extendedKeyUsage = ' + ('clientAuth' if client else 'serverAuth'))
        sans = ['DNS:' + name for name in dns] + ['IP:' + ip for ip in ips] + ['email:' + e for e in emails]
        if sans:
            lines.append('subjectAltName = ' + ', '.join(sans))
        if aia:
            lines.append('authorityInfoAccess = OCSP;URI:%s, caIssuers;URI:%s' % (OCSP_URL, CA_ISSUERS_URL))
        lines.extend(extra)
        return lines


_cache: Dict[str, TestPKI] = {}
_lock = threading.Lock()


def make_pki(directory: str) -> TestPKI:
    """The standard :class:`TestPKI`, made in ``directory`` (which must exist)
    the first time and cached per directory afterwards."""
    key = os.path.realpath(directory)
    with _lock:
        if key in _cache:
            return _cache[key]
        maker = _Maker(key)
        root = maker.make('root', ROOT_SUBJECT, (), (), issuer=None, ca=True)
        other = maker.make('other_root', OTHER_ROOT_SUBJECT, (), (), issuer=None, ca=True)
        inter = maker.make('intermediate', INTERMEDIATE_SUBJECT, (), (), issuer=root, ca=True, pathlen=0)
        pki = TestPKI(
            directory=key, root=root, intermediate=inter, other_root=other,
            leaf=maker.make('leaf', 'localhost', LEAF_DNS, LEAF_IPS, issuer=root, aia=True),
            inter_leaf=maker.make('inter_leaf', 'localhost', LEAF_DNS, LEAF_IPS, issuer=inter, aia=True),
            self_signed=maker.make('self_signed', 'localhost', ('localhost',), ('127.0.0.1',), issuer=None),
            expired=maker.make('expired', 'localhost', ('localhost',), ('127.0.0.1',), issuer=root,
                               not_before='20200101000000Z', not_after='20210101000000Z'),
            not_yet_valid=maker.make('not_yet_valid', 'localhost', ('localhost',), ('127.0.0.1',), issuer=root,
                                     not_before='20900101000000Z', not_after='20910101000000Z'),
            client=maker.make('client', '/C=US/O=gnet test/OU=clients/CN=gnet client', ('client.a.test',), (),
                              issuer=root, client=True, emails=('client@a.test',)),
        )
        _cache[key] = pki
        return pki
