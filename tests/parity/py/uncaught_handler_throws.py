# An exception thrown by the 'uncaughtException' handler itself is fatal:
# the process crashes with it (the monitor saw the first one): net.run() raises it.
import gnet as net
from _trace import log

net.process.on('uncaughtExceptionMonitor', lambda err, origin: log('monitor', err, origin))


def on_uncaught(err, origin):
    log('handler', err, origin)
    raise Exception('handler failed')


net.process.on('uncaughtException', on_uncaught)


def fail():
    raise Exception('timer failed')


net.setTimeout(fail, 1)
net.setTimeout(lambda: log('not reached'), 50)
net.run()
