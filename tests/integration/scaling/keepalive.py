"""What keeps a cluster worker alive: a primary with one worker, one JSON line per event.

    python keepalive.py CASE [--probe-ms MS] [--poke send|disconnect]

The worker runs ``keepalive:worker(CASE)`` (this module, imported by name):

``message``     a ``'message'`` listener only; it answers ``got <message>`` and removes itself
``once``        the same with ``once('message')``
``disconnect``  a ``'disconnect'`` listener only
``none``        no listener at all
``unref``       a ``'message'`` listener, then ``cluster.worker.channel.unref()``
``send``        no listener; it sends a 10 MB message to the primary and returns

``--probe-ms``: that long after ``'online'``, the primary prints ``probe``
with whether the worker is still running, then pokes it (sends ``'ping'``,
or disconnects it).  Without it the primary never pokes: the worker must
exit by itself.  A worker still running 5 s after ``'online'`` is killed
(``killed``).  The primary exits once its worker has.
"""

import argparse
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import gnet  # noqa: E402
from gnet import cluster  # noqa: E402

#: a worker still running this long after 'online' is killed
GUARD_MS = 5000
BIG = 10 * 1000 * 1000


def say(**event):
    sys.stdout.write(json.dumps(event) + '\n')
    sys.stdout.flush()


def worker(case):
    """The worker's program for ``case`` (see the module docstring)."""
    me = cluster.worker

    def answer(message, handle):
        me.send('got %s' % message)
        me.remove_listener('message', answer)
    if case in ('message', 'unref'):
        me.on('message', answer)
    elif case == 'once':
        me.once('message', lambda message, handle: me.send('got %s' % message))
    elif case == 'disconnect':
        me.on('disconnect', lambda: None)
    elif case == 'send':
        me.send('x' * BIG)
    if case == 'unref':
        me.channel.unref()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('case')
    parser.add_argument('--probe-ms', type=int, default=0)
    parser.add_argument('--poke', default='send', choices=('send', 'disconnect'))
    args = parser.parse_args()
    cluster.setup_primary(target='keepalive:worker', target_args=[args.case], handle_signals=False)
    child = cluster.fork()
    timers = []

    def probe():
        running = child.process.poll() is None and child.is_connected()
        say(event='probe', running=running)
        if not running:
            return
        if args.poke == 'send':
            child.send('ping')
        else:
            child.disconnect()

    def guard():
        say(event='killed')
        child.kill('SIGKILL')

    def on_online():
        say(event='online')
        timers.append(gnet.set_timeout(guard, GUARD_MS))
        if args.probe_ms:
            timers.append(gnet.set_timeout(probe, args.probe_ms))

    def on_message(message, handle):
        say(event='message', text=message if len(message) < 100 else len(message))

    def on_exit(code, signal):
        for timer in timers:
            gnet.clear_timeout(timer)
        say(event='exit', code=code, signal=signal)
    child.on('online', on_online)
    child.on('message', on_message)
    child.on('exit', on_exit)
    gnet.run()
    say(event='primary-exit')


if __name__ == '__main__':
    main()
