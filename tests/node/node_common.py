"""The part of Node's ``test/common`` that the ported net tests use.

A Node test is a script: it sets things up, Node's loop runs until nothing
is left, and the checks that ``common.mustCall`` registered run on
``process.on('exit')``.  A ported test is a function that takes the
``common`` fixture (tests/node/conftest.py), sets the same things up, calls
``common.run()`` -- ``gnet.run()`` bounded in time, then the exit checks --
and nothing after it that Node would not run after its loop.

Each helper has Node's name and its snake_case twin:

=====================  ==================================================
Node                   here
=====================  ==================================================
``mustCall(fn, n)``    ``must_call(fn, n)``: ``fn`` must run exactly ``n``
                       times by the end of ``run()``
``mustCallAtLeast``    ``must_call_at_least(fn, n)``
``mustNotCall(msg)``   ``must_not_call(msg)``: calling it is an uncaught
                       AssertionError (``run()`` raises it)
``mustSucceed(fn)``    ``must_succeed(fn)``: a ``(err, ...)`` callback whose
                       ``err`` must be None
``expectsError(v, n)`` ``expects_error(n=1, code=..., name=..., ...)``: a
                       callback whose first argument must match
``assert.throws``      ``throws(fn, code=..., name=..., message=...)``
``process.on('exit')`` ``on_exit(fn)``: runs after the loop, before the
                       must-call checks (as Node's exit listeners do)
``common.PORT``        ``PORT``: a free TCP port on 127.0.0.1
``tmpdir.path``        ``tmpdir``: a fresh directory short enough for a
                       Unix socket path (``refresh()`` empties it)
``common.hasIPv6``     ``has_ipv6``
``common.PIPE``        ``PIPE``: a Unix socket path in ``tmpdir``
``platformTimeout``    ``platform_timeout(ms)``
=====================  ==================================================

Errors are compared on Node's properties: ``code``, ``name`` (Node's
class name: ``'TypeError'``, ``'RangeError'``, ``'Error'``, ``'AbortError'``
...), ``message`` (a string, or a compiled regular expression searched in
it), and any other attribute (``errno``, ``syscall``, ``address``...).
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import tempfile
from typing import Any, Callable, Dict, List, Optional

import gevent

import gnet

__all__ = ['Common', 'NODE_NAMES']

#: seconds a ported test's loop may run before it is declared hung
RUN_TIMEOUT_S = 30


def _noop(*_args: Any) -> None:
    return None


class _Expectation:
    """One ``mustCall``: the wrapped function and how often it must run."""

    __slots__ = ('fn', 'name', 'exact', 'minimum', 'calls')

    def __init__(self, fn: Callable[..., Any], exact: Optional[int], minimum: Optional[int]):
        self.fn = fn
        self.name = getattr(fn, '__name__', '<anonymous>')
        self.exact = exact
        self.minimum = minimum
        self.calls = 0

    def problem(self) -> Optional[str]:
        if self.exact is not None and self.calls != self.exact:
            return 'Mismatched %s function calls. Expected exactly %d, actual %d.' % (
                self.name, self.exact, self.calls)
        if self.minimum is not None and self.calls < self.minimum:
            return 'Mismatched %s function calls. Expected at least %d, actual %d.' % (
                self.name, self.minimum, self.calls)
        return None


def node_name(err: BaseException) -> str:
    """Node's ``err.name`` for an error gnet raised or emitted."""
    name = getattr(err, 'name', None)
    if isinstance(name, str):
        return name
    if isinstance(err, TypeError):
        return 'TypeError'
    if isinstance(err, ValueError):
        return 'RangeError'
    return 'Error'


def check_error(err: Any, **expected: Any) -> None:
    """Assert that ``err`` has each expected Node property (see the module doc)."""
    assert isinstance(err, BaseException), 'expected an error, got %r' % (err,)
    for key, want in expected.items():
        if key == 'name':
            got: Any = node_name(err)
        elif key == 'message':
            got = getattr(err, 'message', None) or str(err)
        else:
            got = getattr(err, key, None)
        if isinstance(want, re.Pattern):
            assert isinstance(got, str) and want.search(got), \
                '%s: %r does not match %r (%r)' % (key, got, want.pattern, err)
        elif isinstance(want, type):
            assert isinstance(got, want), '%s: %r is not a %s (%r)' % (key, got, want.__name__, err)
        else:
            assert got == want, '%s: %r != %r (%r)' % (key, got, want, err)


class Common:
    """One ported test's ``common``: created and finished by the fixture."""

    def __init__(self) -> None:
        self._expectations: List[_Expectation] = []
        self._exit_hooks: List[Callable[[], Any]] = []
        self._finished = False
        self._tmp: Optional[str] = None
        self._port: Optional[int] = None
        self.is_windows = False
        self.is_linux = True

    # -- call counting ------------------------------------------------------------
    def _expect(self, fn: Optional[Callable[..., Any]], exact: Optional[int],
                minimum: Optional[int]) -> Callable[..., Any]:
        expectation = _Expectation(fn or _noop, exact, minimum)
        self._expectations.append(expectation)

        def counted(*args: Any, **kwargs: Any) -> Any:
            expectation.calls += 1
            return expectation.fn(*args, **kwargs)

        counted.__name__ = expectation.name
        return counted

    def must_call(self, fn: Optional[Callable[..., Any]] = None, exact: int = 1) -> Callable[..., Any]:
        if isinstance(fn, int):  # mustCall(2)
            fn, exact = None, fn
        return self._expect(fn, exact, None)

    def must_call_at_least(self, fn: Optional[Callable[..., Any]] = None,
                           minimum: int = 1) -> Callable[..., Any]:
        if isinstance(fn, int):
            fn, minimum = None, fn
        return self._expect(fn, None, minimum)

    def must_not_call(self, msg: Optional[str] = None) -> Callable[..., Any]:
        def must_not_be_called(*args: Any, **_kwargs: Any) -> None:
            raise AssertionError((msg or 'function should not have been called') +
                                 ' (called with %r)' % (args,))
        return must_not_be_called

    def must_succeed(self, fn: Optional[Callable[..., Any]] = None, exact: int = 1) -> Callable[..., Any]:
        def succeeded(err: Any = None, *args: Any) -> Any:
            assert err is None, 'expected success, got %r' % (err,)
            if fn is not None:
                return fn(*args)
            return None
        succeeded.__name__ = getattr(fn, '__name__', 'mustSucceed')
        return self.must_call(succeeded, exact)

    def expects_error(self, exact: int = 1, **expected: Any) -> Callable[..., Any]:
        def validate(err: Any = None, *_rest: Any) -> None:
            check_error(err, **expected)
        validate.__name__ = 'expectsError'
        return self.must_call(validate, exact)

    def throws(self, fn: Callable[[], Any], **expected: Any) -> BaseException:
        """``assert.throws(fn, {code, name, message, ...})``; returns the error."""
        try:
            fn()
        except BaseException as err:  # noqa: BLE001 - whatever it is, it is checked
            if isinstance(err, (gevent.Timeout, KeyboardInterrupt, SystemExit)):
                raise
            check_error(err, **expected)
            return err
        raise AssertionError('Missing expected exception (%r).' % (expected,))

    def on_exit(self, fn: Callable[[], Any]) -> None:
        self._exit_hooks.append(fn)

    # -- the loop ---------------------------------------------------------------------
    def run(self, timeout_s: float = RUN_TIMEOUT_S) -> None:
        """``gnet.run()`` as Node's process runs its loop, then the exit checks."""
        try:
            with gevent.Timeout(timeout_s, AssertionError(
                    'the loop did not drain within %s s (Node would have exited)' % timeout_s)):
                gnet.run()
        except BaseException:
            self._finished = True  # the loop crashed: Node skips the call counts too
            raise
        self.finish()

    def finish(self) -> None:
        """Run the exit hooks and check every must-call (once)."""
        if self._finished:
            return
        self._finished = True
        for hook in self._exit_hooks:
            hook()
        problems = [p for p in (e.problem() for e in self._expectations) if p]
        assert not problems, '\n'.join(problems)

    # -- environment -----------------------------------------------------------------
    @property
    def tmpdir(self) -> str:
        if self._tmp is None:
            self._tmp = tempfile.mkdtemp(prefix='gnode')  # short: sun_path is 108 bytes
        return self._tmp

    def refresh_tmpdir(self) -> str:
        if self._tmp is not None:
            shutil.rmtree(self._tmp, ignore_errors=True)
        self._tmp = None
        return self.tmpdir

    @property
    def PIPE(self) -> str:  # noqa: N802 - Node's name
        return os.path.join(self.tmpdir, 'node-test.sock')

    @property
    def PORT(self) -> int:  # noqa: N802 - Node's name
        """A port that was free a moment ago (Node's common.PORT is a fixed one)."""
        if self._port is None:
            with socket.socket() as probe:
                probe.bind(('127.0.0.1', 0))
                self._port = probe.getsockname()[1]
        return self._port

    @property
    def has_ipv6(self) -> bool:
        if not socket.has_ipv6:
            return False
        try:
            with socket.socket(socket.AF_INET6) as probe:
                probe.bind(('::1', 0))
        except OSError:
            return False
        return True

    localhost_ipv4 = '127.0.0.1'

    @staticmethod
    def platform_timeout(ms: float) -> float:
        return ms

    def cleanup(self) -> None:
        if self._tmp is not None:
            shutil.rmtree(self._tmp, ignore_errors=True)
            self._tmp = None

    # Node's spelling of each helper
    mustCall = must_call
    mustCallAtLeast = must_call_at_least
    mustNotCall = must_not_call
    mustSucceed = must_succeed
    expectsError = expects_error
    hasIPv6 = has_ipv6
    localhostIPv4 = localhost_ipv4
    platformTimeout = platform_timeout


#: Node's helper name -> ours, for docs/node-tests.md
NODE_NAMES: Dict[str, str] = {
    'mustCall': 'must_call', 'mustCallAtLeast': 'must_call_at_least',
    'mustNotCall': 'must_not_call', 'mustSucceed': 'must_succeed',
    'expectsError': 'expects_error', 'assert.throws': 'throws',
    "process.on('exit')": 'on_exit',
}
