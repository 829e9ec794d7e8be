"""Telegram: python-telegram-bot in Plenary's loop."""
