"""A cluster primary for the tests: prints one JSON line per cluster event.

    python primary.py --workers N [--policy rr|none|exclusive] [--port P | --path UNIX_PATH]
                      [--restart] [--timeout-ms T] [--via wrapper|listen] [--cwd DIR]
"""

import argparse
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import gnet  # noqa: E402
from gnet import cluster  # noqa: E402


def say(**event):
    sys.stdout.write(json.dumps(event) + '\n')
    sys.stdout.flush()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--workers', type=int, default=2)
    parser.add_argument('--policy', default='rr')
    parser.add_argument('--port', type=int, default=0)
    parser.add_argument('--path', help='a Unix socket path to listen on instead of a port')
    parser.add_argument('--restart', action='store_true')
    parser.add_argument('--timeout-ms', type=int, default=5000)
    parser.add_argument('--via', default='wrapper')
    parser.add_argument('--cwd', help="the workers' working directory (default: the primary's)")
    args = parser.parse_args()
    policy = {'rr': cluster.SCHED_RR, 'none': cluster.SCHED_NONE}.get(args.policy, cluster.SCHED_RR)
    cluster.setup_primary(target='apps:line_server', target_args=[args.path or args.port, args.policy, args.via],
                          restart=args.restart, restart_min_ms=50, restart_max_ms=1000,
                          shutdown_timeout_ms=args.timeout_ms, scheduling_policy=policy,
                          cwd=args.cwd)
    cluster.on('fork', lambda w: say(event='fork', id=w.id, pid=w.pid))
    cluster.on('online', lambda w: say(event='online', id=w.id, pid=w.pid))
    cluster.on('listening', lambda w, address: say(event='listening', id=w.id, pid=w.pid,
                                                    address=address))
    cluster.on('exit', lambda w, code, sig: say(event='exit', id=w.id, pid=w.pid, code=code,
                                                 signal=sig))
    cluster.on('shutdown', lambda: say(event='shutdown'))
    for _ in range(args.workers):
        cluster.fork()
    gnet.run()
    say(event='primary-exit')


if __name__ == '__main__':
    main()
