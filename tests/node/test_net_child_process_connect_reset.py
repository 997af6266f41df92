"""test-net-child-process-connect-reset.js: a client using an ``onread``
buffer is connected to a server in a child process; the child is killed
with SIGKILL as soon as the client connects, and the client copes with the
vanished peer (at most an ECONNRESET 'error'), while the child's exit
reports the signal.

Node's child is node itself running the same file and reporting its port
over the IPC channel; here the child is a Python process running gnet that
reports its port as a JSON line on stdout.  Node's ``cp.on('exit')`` and
``cp.on('message')`` become a read of that line and a wait for the child
after the loop has drained (gnet's loop does not watch child processes).
"""

import json
import os
import signal
import sys

from gevent import subprocess

import gnet as net

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

CHILD = '''
import json, sys
import gnet as net
server = net.createServer(lambda socket: None)
def on_listening():
    sys.stdout.write(json.dumps({'type': 'ready', 'data': {'port': server.address()['port']}}) + '\\n')
    sys.stdout.flush()
server.listen(0, on_listening)
net.run()
'''


def test_net_child_process_connect_reset(common):
    env = dict(os.environ, PYTHONPATH=ROOT)
    cp = subprocess.Popen([sys.executable, '-c', CHILD], stdout=subprocess.PIPE, env=env)
    try:
        def on_exit(code, signal_name):
            assert code is None
            assert signal_name == 'SIGKILL'
        on_exit = common.mustCall(on_exit)

        def on_message(msg):
            type_, data = msg['type'], msg['data']
            assert type_ == 'ready'
            port = data['port']

            conn = net.createConnection({
                'port': port,
                'onread': {
                    'buffer': bytearray(65536),
                    'callback': lambda nread, buf: None,
                },
            })

            def on_error(err):
                assert err.code == 'ECONNRESET'  # Node: only seen on Windows
            conn.on('error', on_error)

            conn.on('connect', common.mustCall(lambda: cp.kill()))  # SIGKILL
        common.mustCall(on_message)(json.loads(cp.stdout.readline()))

        def wait_for_child():  # the child's 'exit', awaited once the loop has drained
            status = cp.wait()
            on_exit(None if status < 0 else status,
                    signal.Signals(-status).name if status < 0 else None)
        common.on_exit(wait_for_child)
        common.run()
    finally:
        if cp.poll() is None:
            cp.kill()
            cp.wait()
        cp.stdout.close()
