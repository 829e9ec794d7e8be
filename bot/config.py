"""Configuration: one TOML file, secrets from the environment, every fault named by its key."""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field, fields
from datetime import timedelta
from pathlib import Path
from typing import Any

from storage.database import EMBEDDED_URL, async_url
from storage.retention import Retention


class ConfigError(ValueError):
    """A configuration that cannot be used; the message names the key and the problem."""


@dataclass(frozen=True)
class DatabaseConfig:
    url: str = EMBEDDED_URL


@dataclass(frozen=True)
class HttpConfig:
    host: str = "127.0.0.1"
    port: int = 8080
    public_url: str = ""  # how delegates reach this server (calendar links); default host:port

    @property
    def base_url(self) -> str:
        return (self.public_url or f"http://{self.host}:{self.port}").rstrip("/")


@dataclass(frozen=True)
class TelegramConfig:
    token: str = ""
    mode: str = "polling"
    api_base_url: str = ""
    webhook_url: str = ""
    webhook_secret: str = ""
    messages_per_second: float = 30  # this process's share of Telegram's overall limit


@dataclass(frozen=True)
class SlackConfig:
    bot_token: str = ""
    signing_secret: str = ""
    app_token: str = ""
    api_base_url: str = ""


@dataclass(frozen=True)
class RemindersConfig:
    lead_times: tuple[str, ...] = ("24h", "1h")


@dataclass(frozen=True)
class RetentionConfig:
    """How long rows are kept once done with (see storage.retention), as durations."""

    deliveries: str = "90d"
    update_ids: str = "7d"
    button_commands: str = "180d"
    codes: str = "30d"

    def policy(self) -> Retention:
        return Retention(**{f.name: parse_duration(getattr(self, f.name)) for f in fields(self)})


@dataclass(frozen=True)
class LoggingConfig:
    format: str = "text"  # or "json": one object a line, for log collectors


@dataclass(frozen=True)
class Config:
    database: DatabaseConfig = field(default_factory=DatabaseConfig)
    http: HttpConfig = field(default_factory=HttpConfig)
    telegram: TelegramConfig = field(default_factory=TelegramConfig)
    slack: SlackConfig = field(default_factory=SlackConfig)
    reminders: RemindersConfig = field(default_factory=RemindersConfig)
    retention: RetentionConfig = field(default_factory=RetentionConfig)
    logging: LoggingConfig = field(default_factory=LoggingConfig)
    source: str = "built-in defaults"

    @property
    def embedded(self) -> bool:
        """True when running on the embedded SQLite database of a fresh checkout."""
        return self.database.url == EMBEDDED_URL


ENVIRONMENT = {
    ("database", "url"): "PLENARY_DATABASE_URL",
    ("telegram", "token"): "PLENARY_TELEGRAM_TOKEN",
    ("telegram", "webhook_secret"): "PLENARY_TELEGRAM_WEBHOOK_SECRET",
    ("slack", "bot_token"): "PLENARY_SLACK_BOT_TOKEN",
    ("slack", "signing_secret"): "PLENARY_SLACK_SIGNING_SECRET",
    ("slack", "app_token"): "PLENARY_SLACK_APP_TOKEN",
}

DURATION = re.compile(r"^(\d+)([mhd])$")
SHORTEST_RETENTION = timedelta(days=1)
_UNITS = {"m": "minutes", "h": "hours", "d": "days"}


def parse_duration(text: str) -> timedelta:
    """ "24h" -> 24 hours; minutes (m), hours (h) and days (d)."""
    match = DURATION.match(text.strip().lower())
    if not match:
        raise ValueError(f"{text!r} is not a duration like 15m, 1h or 7d")
    return timedelta(**{_UNITS[match.group(2)]: int(match.group(1))})


def _check(section: str, key: str, value: Any, expected: Any) -> Any:
    where = f"[{section}] {key}"
    # A mistyped secret is still a secret: never repeat it.
    shown = "a value" if (section, key) in ENVIRONMENT and key != "url" else repr(value)
    if expected is int:
        if not isinstance(value, int) or isinstance(value, bool):
            raise ConfigError(f"{where}: expected a whole number, got {shown}")
        return value
    if expected is float:
        if not isinstance(value, int | float) or isinstance(value, bool):
            raise ConfigError(f"{where}: expected a number, got {shown}")
        return float(value)
    if expected is str:
        if not isinstance(value, str):
            raise ConfigError(f"{where}: expected text, got {shown}")
        return value
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{where}: expected a list of texts, got {shown}")
    return tuple(value)


def validate(config: Config) -> None:
    """Raise ConfigError naming the first key whose value cannot work."""
    try:
        async_url(config.database.url)
    except ValueError as error:
        raise ConfigError(f"[database] url: {error}") from None
    if config.telegram.mode not in ("polling", "webhook"):
        raise ConfigError(
            f'[telegram] mode: must be "polling" or "webhook", got {config.telegram.mode!r}'
        )
    if (
        config.telegram.mode == "webhook"
        and config.telegram.token
        and not (config.telegram.webhook_url and config.telegram.webhook_secret)
    ):
        raise ConfigError("[telegram] webhook_url and webhook_secret are needed in webhook mode")
    if config.telegram.webhook_secret and not re.fullmatch(
        r"[A-Za-z0-9_-]{1,256}", config.telegram.webhook_secret
    ):
        raise ConfigError("[telegram] webhook_secret: use 1-256 characters A-Z, a-z, 0-9, _ or -")
    if config.slack.bot_token and not (config.slack.signing_secret or config.slack.app_token):
        raise ConfigError(
            "[slack] signing_secret (HTTP mode) or app_token (Socket Mode) is needed with bot_token"
        )
    if not 0 < config.telegram.messages_per_second <= 100_000:
        raise ConfigError("[telegram] messages_per_second: must be above 0")
    if not 0 < config.http.port < 65536:
        raise ConfigError(f"[http] port: {config.http.port} is not a TCP port")
    if config.http.public_url and not re.fullmatch(
        r"https?://[^\s/]+(/\S*)?", config.http.public_url
    ):
        raise ConfigError(f"[http] public_url: {config.http.public_url!r} is not an http(s) URL")
    if config.logging.format not in ("text", "json"):
        raise ConfigError(
            f'[logging] format: must be "text" or "json", got {config.logging.format!r}'
        )
    for lead in config.reminders.lead_times:
        try:
            parse_duration(lead)
        except ValueError as error:
            raise ConfigError(f"[reminders] lead_times: {error}") from None
    for kept in fields(RetentionConfig):
        value = getattr(config.retention, kept.name)
        try:
            too_short = parse_duration(value) < SHORTEST_RETENTION
        except ValueError as error:
            raise ConfigError(f"[retention] {kept.name}: {error}") from None
        if too_short:
            raise ConfigError(f"[retention] {kept.name}: keep rows at least 1d, got {value!r}")


def build(data: dict[str, Any], environ: dict[str, str], source: str) -> Config:
    """A Config from parsed TOML and the environment; raises ConfigError on any fault."""
    sections = {f.name: f.type for f in fields(Config) if f.name != "source"}
    values: dict[str, Any] = {}
    for section, content in data.items():
        if section not in sections:
            raise ConfigError(f"[{section}]: unknown section (known: {', '.join(sections)})")
        if not isinstance(content, dict):
            raise ConfigError(f"[{section}]: expected a table")
        section_class = globals()[sections[section]]
        known = {f.name: f for f in fields(section_class)}
        checked = {}
        for key, value in content.items():
            if key not in known:
                raise ConfigError(f"[{section}] {key}: unknown key (known: {', '.join(known)})")
            expected = {"int": int, "str": str, "float": float}.get(str(known[key].type), list)
            checked[key] = _check(section, key, value, expected)
        values[section] = checked
    for (section, key), variable in ENVIRONMENT.items():
        if environ.get(variable):
            values.setdefault(section, {})[key] = environ[variable]
    parts = {name: globals()[kind](**values.get(name, {})) for name, kind in sections.items()}
    config = Config(**parts, source=source)
    validate(config)
    return config


def load(path: str | None = None, environ: dict[str, str] | None = None) -> Config:
    """`--config FILE`, else $PLENARY_CONFIG, else ./config.toml if present, else defaults."""
    environ = dict(os.environ) if environ is None else environ
    chosen = path or environ.get("PLENARY_CONFIG")
    if chosen is None and Path("config.toml").is_file():
        chosen = "config.toml"
    if chosen is None:
        return build({}, environ, "built-in defaults")
    try:
        data = tomllib.loads(Path(chosen).read_text(encoding="utf-8"))
    except OSError as error:
        raise ConfigError(f"{chosen}: cannot read the file ({error.strerror})") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise ConfigError(f"{chosen}: not valid TOML ({error})") from None
    try:
        return build(data, environ, chosen)
    except ConfigError as error:
        raise ConfigError(f"{chosen}: {error}") from None
