"""Node's ``tls`` module over gnet (placeholder; the TLS socket lands separately)."""
