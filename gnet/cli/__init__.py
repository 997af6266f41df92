"""The ``gnet`` command: ``main`` (argument parsing, subcommands), ``common``
(what they share), ``connect`` and ``proxy``.  It uses gnet's public API, plus
gevent for cooperative stdin/stdout and signals.  The console script is
``gnet.__main__:main``."""
