# Once the last 'uncaughtException' listener is removed, an uncaught
# exception crashes the process again (net.run() raises it).
import gnet as net
from _trace import log
from gnet import process


def handler(err, origin):
    log('handler', err, origin)
    process.removeListener('uncaughtException', handler)


process.on('uncaughtException', handler)


def first():
    raise Exception('first')


def second():
    log('second timer')
    raise Exception('second')


net.setTimeout(first, 1)
net.setTimeout(second, 10)
net.setTimeout(lambda: log('not reached'), 50)
net.run()
