"""Renderers: a `Reply` in each platform's format."""
