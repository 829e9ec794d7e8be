"""The `plenary` command line: one module per command group."""
