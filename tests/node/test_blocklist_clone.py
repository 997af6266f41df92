"""test-blocklist-clone.js: a BlockList sent through a message channel arrives
as a different object that checks the same rules.

Node posts the list through a MessageChannel (a structured clone); the
Python counterpart of sending an object to another worker is a pickle round
trip, delivered here on a later loop turn as Node's 'message' event is.
Left out: Node's clone shares the original's native rule store, so a rule
added to the clone also blocks in the original (``blocklist.check`` after
``data.addAddress``).  A pickled (or copied) gnet BlockList is an independent
list by design (gnet/net/blocklist.py), as any pickled Python object is: that
one assertion is not translated.
"""

import pickle

import gnet as net
from gnet import BlockList


def test_blocklist_clone(common):
    blocklist = BlockList()
    blocklist.addAddress('123.123.123.123')

    def onmessage(data):
        assert data is not blocklist
        assert data.check('123.123.123.123')
        assert not data.check('123.123.123.124')

        data.addAddress('123.123.123.124')
        # Node: assert blocklist.check('123.123.123.124') -- shared store, see the docstring
        assert data.check('123.123.123.124')

    # postMessage: the clone is made now, delivered on a later turn
    net.set_immediate(common.mustCall(onmessage), pickle.loads(pickle.dumps(blocklist)))
    common.run()
