"""Plenary's runtime and shared core: messages, routing, rendering, transports, CLI."""
