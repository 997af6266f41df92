"""Node's streams as sans-IO state machines.

``base`` (what both sides share, destroy, construct), ``readable`` /
``readable_state``, ``writable`` / ``writable_state``, ``duplex``
(``Duplex``, ``Transform``, ``PassThrough``), ``pipe`` (``pipe``,
``pipeline``, ``finished``), ``chunks`` and ``encodings`` (chunk types and
Node's encodings), and ``hooks``, the three slots through which the runtime
schedules them.  Nothing here imports gevent, greenlet, a socket module,
``gnet.net`` or ``gnet.runtime`` (tests/unit/test_layering.py).
"""
