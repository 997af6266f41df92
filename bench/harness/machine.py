"""The machine: building the C programs, the descriptor limit, versions.

Owns: the compiler call, RLIMIT_NOFILE, what the report says about the machine.
"""

import os
import platform
import resource
import shutil
import subprocess
import sys

from .catalog import BUILD_DIR, HERE, SERVERS_DIR


def build(cc, with_ceiling):
    os.makedirs(BUILD_DIR, exist_ok=True)
    targets = [(os.path.join(HERE, 'loadgen.c'), os.path.join(BUILD_DIR, 'loadgen'))]
    if with_ceiling:
        targets.append((os.path.join(SERVERS_DIR, 'c_epoll.c'), os.path.join(BUILD_DIR, 'c_epoll')))
    for src, out in targets:
        cmd = [cc, '-O2', '-o', out, src]
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
        if proc.returncode != 0:
            sys.exit('build failed: %s\n%s' % (' '.join(cmd), proc.stderr))
    return targets[0][1]


def build_tls(cc):
    """bench/tlsloadgen.c linked with OpenSSL: (path, None), or (None, why) when it cannot
    be built (no OpenSSL headers or libraries): the TLS workloads are then skipped."""
    out = os.path.join(BUILD_DIR, 'tlsloadgen')
    cmd = [cc, '-O2', '-o', out, os.path.join(HERE, 'tlsloadgen.c'), '-lssl', '-lcrypto']
    os.makedirs(BUILD_DIR, exist_ok=True)
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    if proc.returncode == 0:
        return out, None
    if 'openssl/' in proc.stderr and 'No such file' in proc.stderr:
        why = 'OpenSSL headers not found (install libssl-dev)'
    elif '-lssl' in proc.stderr or '-lcrypto' in proc.stderr:
        why = 'OpenSSL libraries not found (install libssl-dev)'
    else:
        lines = proc.stderr.strip().splitlines()
        why = 'bench/tlsloadgen.c did not build: %s' % (lines[0] if lines else 'unknown error')
    return None, why


def raise_nofile(wanted):
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = hard if hard != resource.RLIM_INFINITY else max(soft, wanted)
    if soft < target:
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
    return resource.getrlimit(resource.RLIMIT_NOFILE)[0]


def machine_info():
    cpu = 'unknown'
    try:
        with open('/proc/cpuinfo') as f:
            for line in f:
                if line.startswith('model name'):
                    cpu = line.split(':', 1)[1].strip()
                    break
    except OSError:
        pass
    info = {'cpu': cpu, 'cores': os.cpu_count(), 'kernel': platform.release(),
            'python': platform.python_version(), 'gevent': '?', 'node': 'absent'}
    try:
        import gevent
        info['gevent'] = gevent.__version__
    except ImportError:
        pass
    try:
        import ssl
        info['openssl_python'] = ssl.OPENSSL_VERSION
    except ImportError:
        pass
    if shutil.which('node'):
        info['node'] = subprocess.run(['node', '--version'], capture_output=True, text=True,
                                      timeout=10).stdout.strip()
        info['openssl_node'] = subprocess.run(['node', '-p', 'process.versions.openssl'],
                                              capture_output=True, text=True,
                                              timeout=10).stdout.strip()
    return info
