"""Print, and check, what a tox env really runs on (used by tox.ini).

One line: Python, gevent, greenlet, zope.interface, gevent's loop backend.
Checks, so that an env cannot silently test something else:

- ``GEVENT_LOOP`` names libuv  -> the hub's loop is gevent's libuv loop
  (otherwise: libev, gevent's default);
- ``GNET_MINDEPS=1``           -> every installed runtime requirement of gnet (and
  of its ``libuv`` extra, with libuv) is exactly the floor (``>=X``) that
  pyproject.toml declares.
"""

import os
import re
import sys
from importlib import metadata

import gevent
import greenlet

#: gnet's distribution name (the import name is gnet)
DISTRIBUTION = 'gevent-net'


def floors(extras=()):
    """{'gevent': '23.7.0', ...}: the ``>=`` floors of gnet's runtime requirements
    (and of the requirements of ``extras``)."""
    found = {}
    for req in metadata.requires(DISTRIBUTION) or ():
        extra = re.search(r'extra\s*==\s*["\']([^"\']+)', req)
        if extra and extra.group(1) not in extras:
            continue
        m = re.match(r'^\s*([A-Za-z0-9_.\-]+)\s*(?:\(\s*)?>=\s*([^,;)\s]+)', req)
        if m:
            found[m.group(1)] = m.group(2)
    return found


def dist_version(name):
    """The installed version of distribution ``name`` (whatever its metadata
    folder's spelling: zope.interface, zope_interface; some Pythons'
    importlib.metadata does not normalise)."""
    for spelling in (name, name.replace('.', '_'), name.replace('.', '-'), name.replace('_', '.')):
        try:
            return metadata.version(spelling)
        except metadata.PackageNotFoundError:
            pass
    raise metadata.PackageNotFoundError(name)


def main():
    loop = type(gevent.get_hub().loop).__module__
    print('envinfo: Python %s, gevent %s, greenlet %s, zope.interface %s, loop %s'
          % (sys.version.split()[0], gevent.__version__, greenlet.__version__,
             dist_version('zope.interface'), loop))
    problems = []
    want_uv = 'libuv' in os.environ.get('GEVENT_LOOP', '')
    if want_uv != ('libuv' in loop):
        problems.append('loop %s, but GEVENT_LOOP=%r' % (loop, os.environ.get('GEVENT_LOOP')))
    if os.environ.get('GNET_MINDEPS') == '1':
        pins = floors(('libuv',) if want_uv else ())
        if not pins:
            problems.append('no floors found in the metadata of ' + DISTRIBUTION)
        for name, floor in sorted(pins.items()):
            have = dist_version(name)
            print('envinfo: floor %s>=%s, installed %s' % (name, floor, have))
            if have != floor:
                problems.append('%s %s installed, the declared floor is %s' % (name, have, floor))
    for p in problems:
        print('envinfo: ERROR: ' + p)
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main())
