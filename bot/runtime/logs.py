"""Logging: quiet libraries, and no secret ever written to a log."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime
from urllib.parse import urlsplit

from bot.config import Config

NOISY = (
    "alembic",
    "httpx",
    "httpcore",
    "apscheduler",
    "telegram.ext.Updater",
    "slack_bolt",
    "slack_sdk",
)


class RedactSecrets(logging.Filter):
    """Replaces every configured secret with *** in log messages and their arguments."""

    def __init__(self, secrets: list[str]) -> None:
        super().__init__()
        self.secrets = [s for s in secrets if len(s) >= 6]

    def _clean(self, text: str) -> str:
        for secret in self.secrets:
            text = text.replace(secret, "***")
        return text

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg, record.args = self._clean(record.getMessage()), None
        if record.exc_info:  # tracebacks quote URLs and messages too
            record.exc_text = self._clean(logging.Formatter().formatException(record.exc_info))
            record.exc_info = None
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time (UTC, ISO 8601), level, logger, message, exception."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_text:
            entry["exception"] = record.exc_text
        return json.dumps(entry, ensure_ascii=False)


def configure(config: Config, level: int) -> None:
    root = logging.getLogger()
    root.setLevel(level)
    secrets = [
        *(
            secret.get_secret_value()
            for secret in (
                config.telegram.token,
                config.telegram.webhook_secret,
                config.slack.bot_token,
                config.slack.signing_secret,
                config.slack.app_token,
            )
        ),
        urlsplit(config.database.url).password or "",
    ]
    for handler in root.handlers:
        handler.addFilter(RedactSecrets(secrets))
        if config.logging.format == "json":
            handler.setFormatter(JsonFormatter())
    for name in NOISY:
        logging.getLogger(name).setLevel(max(level, logging.WARNING))
