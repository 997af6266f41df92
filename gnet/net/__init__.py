"""Node's ``net``: Socket and Server over handles, and the pure helpers around them.

``socket`` / ``socket_base`` (``net.Socket``), ``connect`` (lookup and
Happy Eyeballs), ``server`` (``net.Server``), ``accept`` (the one accept
policy), ``args`` (argument normalisation), ``socket_options``, and the pure
``ip``, ``blocklist``, ``socketaddress``.  ``handles/`` is the I/O seam
below them: it never imports the streams, the socket or the server.
"""
