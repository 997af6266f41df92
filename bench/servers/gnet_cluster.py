"""Echo server: gnet ``c.pipe(c)`` in ``--workers N`` gnet.cluster workers (round-robin).

The process the harness starts is the cluster's primary: it forks N
workers, each listening with ``server.listen(...)`` on the one port or
Unix path (the primary binds it once, accepts, and hands each connection
to the next worker over SCM_RIGHTS: ``cluster.SCHED_RR``, Node's Linux
default), prints ``ready`` once every worker is listening, and stays the
process the harness measures (its CPU and RSS include the workers').

Cores: the harness pins this process to one core with ``taskset``; with
``--cores spread`` (the default) worker k moves itself to core
``(k - 1) mod cores``, so one worker shares the primary's core and a
second one the next core (on a 2-core machine: the load generator's);
``--cores inherit`` keeps every worker on the primary's core.

Stopping: SIGTERM (what the harness sends) is the cluster's graceful
shutdown: every worker closes, drains for at most ``SHUTDOWN_MS`` and
exits, then the primary exits 0.  A worker that dies on its own ends the
whole server with exit 1, so a crash is never hidden by the others.
"""

import os
import sys

import _common

import gnet
from gnet import cluster

#: longest drain of a worker after SIGTERM (the harness SIGKILLs 3 s after SIGTERM)
SHUTDOWN_MS = 1000


def add_arguments(parser):
    parser.add_argument('--workers', type=int, default=2, help='worker processes (default 2)')
    parser.add_argument('--cores', choices=('spread', 'inherit'), default='spread',
                        help='spread workers over the cores, or keep them on the primary\'s')
    parser.add_argument('--exclusive', action='store_true',
                        help='each worker binds the TCP port itself (SO_REUSEPORT): the kernel '
                             'spreads connections, no hop through the primary')


def serve(where, spread, exclusive=False):
    """In a worker: the ``c.pipe(c)`` echo on ``where`` (a Unix path, or ``[host, port]``)."""
    if spread:
        cores = os.cpu_count() or 1
        try:
            os.sched_setaffinity(0, {(cluster.worker.id - 1) % cores})
        except OSError as exc:
            sys.stderr.write('worker %d: keeping the inherited cores: %s\n' % (cluster.worker.id, exc))

    def on_connection(c):
        c.on('error', lambda err: None)
        c.pipe(c)

    server = gnet.create_server(on_connection)
    if isinstance(where, str):
        server.listen(where)
    else:
        server.listen({'port': where[1], 'host': where[0], 'exclusive': exclusive})


def main():
    args = _common.parse_args(__doc__.split('\n\n')[0], add_arguments)
    where = args.path or [args.host, args.port]
    cluster.setup_primary(target=serve,
                          target_args=[where, args.cores == 'spread', args.exclusive],
                          shutdown_timeout_ms=SHUTDOWN_MS)
    listening = set()
    failed = []

    def on_listening(worker, address):
        listening.add(worker.id)
        if len(listening) == args.workers:
            _common.ready()

    def on_exit(worker, code, signal):
        if not worker.exited_after_disconnect and not failed:
            failed.append(worker.id)
            sys.stderr.write('worker %d exited on its own (code %s, signal %s): stopping\n'
                             % (worker.id, code, signal))
            cluster.shutdown(SHUTDOWN_MS)

    cluster.on('listening', on_listening)
    cluster.on('exit', on_exit)
    for _ in range(args.workers):
        cluster.fork()
    gnet.run()
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
