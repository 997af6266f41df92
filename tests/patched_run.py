"""Run the test suite with gevent.monkey.patch_all() applied before anything.

Used by the tox ``patched`` factor: ``python tests/patched_run.py [pytest args]``.
"""

from gevent import monkey

monkey.patch_all()

import sys  # noqa: E402

import pytest  # noqa: E402

if __name__ == '__main__':
    missing = [m for m in ('socket', 'select', 'threading', 'time') if not monkey.is_module_patched(m)]
    if missing:
        sys.exit('patched_run: gevent.monkey.patch_all() left %s unpatched' % ', '.join(missing))
    print('patched_run: gevent.monkey.patch_all() applied')
    sys.exit(pytest.main(sys.argv[1:]))
