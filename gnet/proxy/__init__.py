"""HAProxy's PROXY protocol: ``protocol`` (the sans-IO v1/v2 codec) and
``gate`` (what a ``create_server(proxy_protocol=True)`` server runs on each
connection before ``'connection'``)."""
