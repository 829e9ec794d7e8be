"""Transports: thin adapters between a platform and the shared core."""
