"""Interim stand-ins for the certificate modules (replaced when they land)."""

from types import SimpleNamespace
from typing import Any, Optional, Sequence

from .. import errors


def _verify_chain(chain: Sequence[bytes], ca: Any) -> Optional[str]:
    return 'UNABLE_TO_VERIFY_LEAF_SIGNATURE'


def _verify_error(code: str) -> errors.NodeError:
    return errors.NodeError(code, code=code)


def _check_server_identity(host: str, cert: Any) -> Any:
    return None


def _certificate_dict(chain: Sequence[bytes], detailed: bool) -> Any:
    return {'raw': chain[0]}


verify = SimpleNamespace(verify_chain=_verify_chain, verify_error=_verify_error)
identity = SimpleNamespace(check_server_identity=_check_server_identity)
certs = SimpleNamespace(certificate_dict=_certificate_dict)
