"""Slack: slack-bolt's AsyncApp in Plenary's loop."""
