"""The servers and workloads of the benchmark, with paths and thresholds.

Owns: what is measured and against what.  Imports nothing of the harness.
"""

import os
import shutil
import sys

HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))   # bench/
REPO = os.path.dirname(HERE)
SERVERS_DIR = os.path.join(HERE, 'servers')
BUILD_DIR = os.path.join(HERE, 'build')
SERVER_CORE, LOADGEN_CORE = 0, 1

#: Cores busier than this (in % of one core, summed) before a run count as "not quiet".
QUIET_BUSY_PCT = 15.0
#: CPU used by anything but the server, the load generator and kernel threads, in %
#: of one core, above which a run counts as disturbed.
FOREIGN_FLAG_PCT = 10.0
#: Load generator core busy %, above which the figure is a floor for the server.
LOADGEN_FLAG_PCT = 90.0


class Server:
    def __init__(self, name, label, argv, needs=None, optional=False, kind='net'):
        self.name = name          # short id used on the command line
        self.label = label        # what the tables print
        self.argv = argv          # list; the transport arguments are appended
        self.needs = needs        # an executable that must exist, or None
        self.optional = optional  # not run unless asked for
        self.kind = kind          # 'net' (plain echo) or 'tls' (takes --cert/--key, TLS workloads)

    def available(self):
        return self.needs is None or shutil.which(self.needs) is not None


def _py(script):
    return [sys.executable, os.path.join(SERVERS_DIR, script)]


SERVERS = [
    Server('gnet_pipe', 'gnet `c.pipe(c)`', _py('gnet_pipe.py')),
    Server('gnet_data', "gnet `'data'`→`write()` + pause/drain", _py('gnet_data.py')),
    Server('gevent_raw', 'raw gevent `StreamServer` (recv 64 KiB / sendall)', _py('gevent_raw.py')),
    Server('node_net', 'Node `net`, `c.pipe(c)`', ['node', os.path.join(SERVERS_DIR, 'node_net.js')],
           needs='node'),
    Server('asyncio_streams', 'asyncio streams', _py('asyncio_streams.py')),
    Server('c_epoll', 'C epoll echo (harness ceiling)', [os.path.join(BUILD_DIR, 'c_epoll')],
           optional=True),
    # gnet.cluster, round-robin through the primary; run only when named with --only
    Server('gnet_cluster1', 'gnet `c.pipe(c)`, gnet.cluster 1 worker',
           _py('gnet_cluster.py') + ['--workers', '1'], optional=True),
    Server('gnet_cluster2', 'gnet `c.pipe(c)`, gnet.cluster 2 workers',
           _py('gnet_cluster.py') + ['--workers', '2'], optional=True),
    Server('gnet_cluster2x', 'gnet `c.pipe(c)`, gnet.cluster 2 workers, `exclusive` (SO_REUSEPORT)',
           _py('gnet_cluster.py') + ['--workers', '2', '--exclusive'], optional=True),
    # TLS echo servers (issue 20): the same credential, TLS 1.3 from the client, no-delay
    Server('gnet_tls', 'gnet `tls.create_server` + `c.pipe(c)`', _py('gnet_tls.py'), kind='tls'),
    Server('node_tls', 'Node `tls.createServer`, `c.pipe(c)`',
           ['node', os.path.join(SERVERS_DIR, 'node_tls.js')], needs='node', kind='tls'),
    Server('gevent_ssl', 'gevent `StreamServer` + gevent `ssl` (recv 64 KiB / sendall)',
           _py('gevent_ssl.py'), kind='tls'),
]
SERVER_BY_NAME = {s.name: s for s in SERVERS}
REF_GEVENT, REF_NODE = 'gevent_raw', 'node_net'
#: the reference servers of the ratio columns, per kind: (gevent's, Node's)
REFS = {'net': (REF_GEVENT, REF_NODE), 'tls': ('gevent_ssl', 'node_tls')}


class Workload:
    def __init__(self, name, title, mode, unit, lower_better=False, **params):
        self.name = name
        self.title = title
        self.mode = mode              # loadgen --mode
        self.unit = unit              # unit of the main figure
        self.lower_better = lower_better
        self.params = params          # loadgen arguments

    @property
    def kind(self):
        """'tls' for the TLS workloads (bench/tlsloadgen.c, TLS servers), else 'net'."""
        return 'tls' if self.mode.startswith('tls-') else 'net'

    @property
    def refs(self):
        return REFS[self.kind]

    @property
    def cpu_unit(self):
        return {'pingpong': 'µs/rt', 'bulk': 'µs/MB', 'connrate': 'µs/conn',
                'tls-handshake': 'µs/hs', 'tls-bulk': 'µs/MB'}.get(self.mode)


WORKLOADS = [
    Workload('pp64x1', 'ping-pong 64 B × 1 connection', 'pingpong', 'rt/s', conns=1, size=64),
    Workload('pp64x100', 'ping-pong 64 B × 100 connections', 'pingpong', 'rt/s', conns=100, size=64),
    Workload('pp4kx100', 'ping-pong 4 KiB × 100 connections', 'pingpong', 'rt/s', conns=100,
             size=4096),
    Workload('bulk64kx1', 'bulk stream 64 KiB chunks × 1 connection', 'bulk', 'MB/s', conns=1,
             size=65536),
    Workload('bulk64kx16', 'bulk stream 64 KiB chunks × 16 connections', 'bulk', 'MB/s', conns=16,
             size=65536),
    Workload('conn16', 'connection rate, 16 parallel clients (connect/64 B echo/close)',
             'connrate', 'conn/s', parallel=16, size=64),
    Workload('idle10k', 'idle connections: server RSS per connection', 'idle', 'KiB/conn',
             lower_better=True),
    # TLS (issue 20), by bench/tlsloadgen.c against the TLS servers
    Workload('tlshs16', 'TLS 1.3 handshakes, 16 parallel clients (connect/handshake/64 B '
             'echo/close, no resumption)', 'tls-handshake', 'hs/s', parallel=16, size=64),
    Workload('tlsbulk64kx1', 'TLS 1.3 bulk stream 64 KiB writes × 1 connection', 'tls-bulk',
             'MB/s', conns=1, size=65536),
]
WORKLOAD_BY_NAME = {w.name: w for w in WORKLOADS}
