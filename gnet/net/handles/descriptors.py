"""Closing a descriptor now, whether or not gevent has patched ``os``.

Owns: :func:`close_fd`.
Must not import: anything of gnet.

gevent >= 25.8 ``monkey.patch_all()`` replaces ``os.close`` with a version
that defers the close of a pipe, FIFO or socket to the next turn of the
loop (so that a descriptor still watched is not pulled from under libev).
gnet stops and closes its watchers before it closes a descriptor, and much
of what it does relies on the close being immediate, as libuv's is: the
reserve descriptor freed to shed a backlog after EMFILE, a pipe's write end
whose reader waits for EOF, a descriptor count that is back where it was
once ``close()`` returns.  So gnet closes through the original function.
"""

from typing import Callable

from gevent import monkey

__all__ = ['close_fd']

#: ``os.close`` as the standard library defines it, even under patching.
close_fd: Callable[[int], None] = monkey.get_original('os', 'close')
