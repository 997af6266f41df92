"""Slow reader, fast writer, in a process of its own (for clean RSS figures).

Usage: ``python flood_process.py TRANSPORT MIB MODE`` with TRANSPORT ``tcp4``
or ``ipc``, MIB the mebibytes to move, MODE ``honour`` (the writer honours
``write()``'s return value and waits for ``'drain'``) or ``ignore`` (the
negative control: it writes everything at once).

The writer is a server-side socket; the reader a client whose ``'data'``
listener blocks cooperatively for a moment per chunk, so it is always the
slower side.  Every chunk is a fresh object, so anything retained shows up
in RSS.  Peak RSS is ``VmHWM`` after resetting it (``/proc/self/clear_refs``)
once the connection is up.  Prints one JSON line.
"""

import json
import os
import shutil
import sys
import tempfile
import time
import zlib

import gevent
from gevent.event import Event

import gnet

CHUNK = 65536
WAIT = 60.0


def status_kib(field):
    with open('/proc/self/status') as status:
        for line in status:
            if line.startswith(field + ':'):
                return int(line.split()[1])
    raise KeyError(field)


def reset_peak():
    try:
        with open('/proc/self/clear_refs', 'w') as refs:
            refs.write('5')
        return True
    except OSError:
        return False


def main():
    transport, mib, mode = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    total = mib << 20
    directory = tempfile.mkdtemp(prefix='gnet-flood-')
    accepted = []
    server = gnet.create_server(accepted.append)
    if transport == 'ipc':
        server.listen(os.path.join(directory, 's'))
    else:
        server.listen(0, '127.0.0.1')
    gnet.once(server, 'listening', timeout=WAIT)
    address = server.address()
    target = {'path': address} if isinstance(address, str) else \
        {'port': address['port'], 'host': '127.0.0.1'}
    reader = gnet.connect(target)
    gnet.once(reader, 'connect', timeout=WAIT)
    while not accepted:
        gnet.once(server, 'connection', timeout=WAIT)
    writer = accepted[0]
    server.close()

    state = {'got': 0, 'crc': 0, 'max_queued': 0}
    done = Event()

    def on_data(chunk):
        state['got'] += len(chunk)
        state['crc'] = zlib.crc32(chunk, state['crc'])
        gevent.sleep(0.001)   # the slow reader: blocks its own greenlet only
    reader.on('data', on_data)
    reader.on('end', done.set)

    import gc
    gc.collect()
    peak_reset = reset_peak()
    baseline = status_kib('VmRSS')
    started = time.monotonic()
    crc = 0
    sent = 0
    index = 0
    while sent < total:
        chunk = index.to_bytes(8, 'big') * (CHUNK // 8)   # a fresh object every time
        index += 1
        crc = zlib.crc32(chunk, crc)
        sent += len(chunk)
        ok = writer.write(chunk)
        state['max_queued'] = max(state['max_queued'], writer.writable_length)
        if not ok and mode == 'honour':
            gnet.once(writer, 'drain', timeout=WAIT)
    writer.end()
    assert done.wait(WAIT), 'the reader never saw the end'
    elapsed = time.monotonic() - started
    peak = status_kib('VmHWM') if peak_reset else status_kib('VmRSS')
    reader.destroy()
    writer.destroy()
    shutil.rmtree(directory, ignore_errors=True)
    print(json.dumps({
        'baseline_kib': baseline, 'peak_kib': peak, 'peak_reset': peak_reset,
        'sent': sent, 'received': state['got'], 'crc_ok': crc == state['crc'],
        'max_queued': state['max_queued'], 'seconds': round(elapsed, 3),
        'hwm': writer.writable_high_water_mark,
    }))


if __name__ == '__main__':
    main()
