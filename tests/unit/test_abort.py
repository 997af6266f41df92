"""AbortController / AbortSignal (Node's test-abortcontroller.js behaviours)."""

import pytest

import gnet
from gnet import errors
from gnet.abort import AbortSignal
from gnet.interfaces import IAbortSignal
from zope.interface.verify import verifyObject


def test_abort_fires_once_with_default_reason():
    ctl = gnet.AbortController()
    got = []
    ctl.signal.on('abort', got.append)
    assert ctl.signal.aborted is False and ctl.signal.reason is None
    ctl.abort()
    ctl.abort('again')
    assert ctl.signal.aborted is True
    assert len(got) == 1
    assert isinstance(ctl.signal.reason, errors.AbortError)
    assert ctl.signal.reason.code == 'ABORT_ERR'


def test_abort_with_reason_and_throw_if_aborted():
    ctl = gnet.AbortController()
    ctl.signal.throw_if_aborted()  # not aborted: no raise
    reason = ValueError('mine')
    ctl.abort(reason)
    assert ctl.signal.reason is reason
    with pytest.raises(ValueError):
        ctl.signal.throwIfAborted()


def test_static_abort_and_illegal_constructor():
    s = AbortSignal.abort('r')
    assert s.aborted and s.reason == 'r'
    with pytest.raises(errors.ERR_ILLEGAL_CONSTRUCTOR):
        AbortSignal()


@pytest.mark.timeout(10)
def test_timeout_signal_aborts_later_and_is_unreferenced():
    s = AbortSignal.timeout(5)
    assert not s.aborted
    gnet.once(s, 'abort', timeout=5)
    assert s.aborted and s.reason.name == 'TimeoutError'
    # an unreferenced timer: run() does not wait for a long one
    AbortSignal.timeout(60000)
    gnet.run()


def test_any_follows_the_first_aborted():
    a, b = gnet.AbortController(), gnet.AbortController()
    combined = AbortSignal.any([a.signal, b.signal])
    b.abort('second')
    assert combined.aborted and combined.reason == 'second'


def test_verify_interface():
    verifyObject(IAbortSignal, gnet.AbortController().signal)
