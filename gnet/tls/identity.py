"""Node's ``tls.checkServerIdentity(hostname, cert)``.

Owns: matching a host name or IP address against a certificate dict (as
:mod:`gnet.tls.certs` makes them): DNS alt names with Node's wildcard rules,
IP alt names compared in canonical form, the subject CN only when the
certificate has no DNS alt name, trailing dots, and Node's error
(``ERR_TLS_CERT_ALTNAME_INVALID`` with ``.reason``, ``.host``, ``.cert`` and
Node's message), returned, not raised.  A port of ``checkServerIdentity`` and
its helpers in Node 20's ``lib/tls.js``.
Must not import: gevent, greenlet, socket, gnet.net, gnet.runtime,
gnet.streams (pure).

Host names are compared as ASCII: an IDNA U-label (Unicode) in a pattern
never matches, an A-label (``xn--``) only verbatim, as in Node -- a caller
with a Unicode host name converts it to punycode first, as Node's ``https``
does through ``url.domainToASCII``.
"""

import ipaddress
import json
import re
from typing import Any, List, Mapping, Optional, Union

from ..errors import ERR_TLS_CERT_ALTNAME_FORMAT, ERR_TLS_CERT_ALTNAME_INVALID, NodeError

__all__ = ['check_server_identity', 'canonicalize_ip', 'is_ip']

# JSON string literals inside an escaped alt name list (lib/tls.js jsonStringPattern)
_JSON_STRING = re.compile(r'"(?:[^"\\\x00-\x1f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"')
_V4 = re.compile(r'(?:(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])\.){3}'
                 r'(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])')
_V6_CHARS = re.compile(r'[0-9a-fA-F:.]+(?:%[0-9a-zA-Z\-.:]+)?')


def _parse_ip(text: str) -> Optional[Union[ipaddress.IPv4Address, ipaddress.IPv6Address]]:
    if _V4.fullmatch(text):
        return ipaddress.IPv4Address(text)
    if ':' not in text or not _V6_CHARS.fullmatch(text):
        return None
    try:
        return ipaddress.IPv6Address(text.split('%', 1)[0])
    except ValueError:
        return None


def is_ip(text: str) -> int:
    """``net.isIP``: 4, 6 or 0 (the zone of an IPv6 address is allowed)."""
    found = _parse_ip(text)
    return 0 if found is None else found.version


def canonicalize_ip(text: str) -> Optional[str]:
    """Node's ``canonicalizeIP`` (``uv_inet_pton`` then ``uv_inet_ntop``): None
    when ``text`` is not an address; an IPv6 address in compressed lower-case
    form, with a dotted IPv4 tail for ``::ffff:a.b.c.d`` and ``::a.b.c.d``."""
    found = _parse_ip(text)
    if found is None:
        return None
    if found.version == 4:
        return str(found)
    packed = found.packed
    words = [int.from_bytes(packed[i:i + 2], 'big') for i in range(0, 16, 2)]
    if words[:5] == [0] * 5 and (words[5] == 0xffff or (words[5] == 0 and words[6] != 0)):
        tail = str(ipaddress.IPv4Address(packed[12:]))
        return ('::ffff:' if words[5] else '::') + tail
    return found.compressed


def _split_escaped(alt_names: str) -> List[str]:
    """splitEscapedAltNames: ``', '``-separated, with JSON string literals."""
    result: List[str] = []
    token = ''
    offset = 0
    while offset != len(alt_names):
        next_sep = alt_names.find(',', offset)
        next_quote = alt_names.find('"', offset)
        if next_quote != -1 and (next_sep == -1 or next_quote < next_sep):
            token += alt_names[offset:next_quote]
            match = _JSON_STRING.match(alt_names, next_quote)
            if not match:
                raise ERR_TLS_CERT_ALTNAME_FORMAT()
            token += json.loads(match.group(0))
            offset = match.end()
        elif next_sep != -1:
            token += alt_names[offset:next_sep]
            result.append(token)
            token = ''
            offset = next_sep + 2
        else:
            token += alt_names[offset:]
            offset = len(alt_names)
    result.append(token)
    return result


def _unfqdn(host: str) -> str:
    return host[:-1] if host.endswith('.') else host


def _split_host(host: str) -> List[str]:
    # only A-Z are lower-cased (String#toLowerCase is locale-sensitive)
    return re.sub('[A-Z]', lambda m: m.group(0).lower(), _unfqdn(host)).split('.')


_BAD = re.compile('[^\u0021-\u007f]')


def _check(host_parts: List[str], pattern: Any, wildcards: bool) -> bool:
    if not pattern or not isinstance(pattern, str):
        return False
    parts = _split_host(pattern)
    if len(host_parts) != len(parts) or '' in parts:
        return False
    if any(_BAD.search(p) for p in parts):
        return False
    for i in range(len(host_parts) - 1, 0, -1):
        if host_parts[i] != parts[i]:
            return False
    host_sub, pattern_sub = host_parts[0], parts[0]
    pieces = pattern_sub.split('*')
    if len(pieces) == 1 or 'xn--' in pattern_sub:
        return host_sub == pattern_sub
    if not wildcards or len(pieces) > 2 or len(parts) <= 2:
        return False
    prefix, suffix = pieces
    return (len(prefix) + len(suffix) <= len(host_sub) and host_sub.startswith(prefix)
            and host_sub.endswith(suffix))


def _js_str(value: Any) -> str:
    if value is None:
        return 'undefined'
    if isinstance(value, bool):
        return 'true' if value else 'false'
    if isinstance(value, list):
        return ','.join('' if v is None else _js_str(v) for v in value)
    return str(value)


def check_server_identity(hostname: Any, cert: Mapping[str, Any]) -> Optional[NodeError]:
    """None when ``cert`` is valid for ``hostname``, else Node's
    ``ERR_TLS_CERT_ALTNAME_INVALID`` error (returned, not raised).  A
    malformed escaped ``subjectaltname`` raises ``ERR_TLS_CERT_ALTNAME_FORMAT``
    as in Node."""
    subject = cert.get('subject')
    alt_names = cert.get('subjectaltname')
    dns_names: List[str] = []
    ips: List[Optional[str]] = []
    host = _js_str(hostname)
    if alt_names:
        names = _split_escaped(alt_names) if '"' in alt_names else alt_names.split(', ')
        for name in names:
            if name.startswith('DNS:'):
                dns_names.append(name[4:])
            elif name.startswith('IP Address:'):
                ips.append(canonicalize_ip(name[11:]))
    valid = False
    reason = 'Unknown reason'
    host = _unfqdn(host)
    cn = subject.get('CN') if isinstance(subject, Mapping) else None
    if is_ip(host):
        valid = canonicalize_ip(host) in ips
        if not valid:
            reason = "IP: %s is not in the cert's list: %s" % (host, ', '.join('' if ip is None else ip for ip in ips))
    elif dns_names or cn:
        host_parts = _split_host(host)
        if dns_names:
            valid = any(_check(host_parts, name, True) for name in dns_names)
            if not valid:
                reason = "Host: %s. is not in the cert's altnames: %s" % (host, alt_names)
        else:
            if isinstance(cn, list):
                valid = any(_check(host_parts, name, True) for name in cn)
            else:
                valid = _check(host_parts, cn, True)
            if not valid:
                reason = "Host: %s. is not cert's CN: %s" % (host, _js_str(cn))
    else:
        reason = 'Cert does not contain a DNS name'
    if valid:
        return None
    return ERR_TLS_CERT_ALTNAME_INVALID(reason, reason=reason, host=host, cert=cert)
