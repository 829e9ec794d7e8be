"""Configuration: one TOML file, secrets from the environment, every fault named by its key.
pydantic-settings reads both and checks every value; secrets stay `SecretStr`."""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    SecretStr,
    ValidationError,
    model_validator,
)
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

from storage.database import EMBEDDED_URL, async_url
from storage.retention import Retention


class ConfigError(ValueError):
    """A configuration that cannot be used; the message names the key and the problem."""


DURATION = re.compile(r"^(\d+)([mhd])$")
SHORTEST_RETENTION = timedelta(days=1)
_UNITS = {"m": "minutes", "h": "hours", "d": "days"}


def parse_duration(text: str) -> timedelta:
    """ "24h" -> 24 hours; minutes (m), hours (h) and days (d)."""
    match = DURATION.match(text.strip().lower())
    if not match:
        raise ValueError(f"{text!r} is not a duration like 15m, 1h or 7d")
    try:
        return timedelta(**{_UNITS[match.group(2)]: int(match.group(1))})
    except OverflowError:  # more days than any calendar holds
        raise ValueError(f"{text[:30]!r} is longer than any clock counts") from None


def _database_url(url: str) -> str:
    async_url(url)  # raises ValueError naming what is wrong
    return url


def _http_url(url: str) -> str:
    if url and not re.fullmatch(r"https?://[^\s/]+(/\S*)?", url):
        raise ValueError(f"{url!r} is not an http(s) URL")
    return url


def _webhook_secret(secret: SecretStr) -> SecretStr:
    if secret and not re.fullmatch(r"[A-Za-z0-9_-]{1,256}", secret.get_secret_value()):
        raise ValueError("use 1-256 characters A-Z, a-z, 0-9, _ or -")
    return secret


def _durations(values: tuple[str, ...]) -> tuple[str, ...]:
    for value in values:
        parse_duration(value)
    return values


class Section(BaseModel):
    """A [section] of the file: its keys checked strictly, unknown keys refused."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


class DatabaseConfig(Section):
    url: Annotated[str, AfterValidator(_database_url)] = EMBEDDED_URL


class HttpConfig(Section):
    host: str = "127.0.0.1"
    port: int = Field(8080, gt=0, lt=65536)
    # How delegates reach this server (calendar links); default http://host:port.
    public_url: Annotated[str, AfterValidator(_http_url)] = ""
    enabled: bool = False  # serve HTTP even with no chat platform (it always runs with one)
    # A larger request body is refused unread (a Telegram update or a Slack event is a few KB).
    max_body_bytes: int = Field(256 * 1024, ge=1024, le=64 * 1024 * 1024)

    @property
    def base_url(self) -> str:
        return (self.public_url or f"http://{self.host}:{self.port}").rstrip("/")


class TelegramConfig(Section):
    token: SecretStr = SecretStr("")
    mode: Literal["polling", "webhook"] = "polling"
    api_base_url: str = ""
    webhook_url: str = ""
    webhook_secret: Annotated[SecretStr, AfterValidator(_webhook_secret)] = SecretStr("")
    messages_per_second: float = Field(30, gt=0, le=100_000)  # this process's share

    @model_validator(mode="after")
    def _webhook(self) -> TelegramConfig:
        if self.mode == "webhook" and self.token and not (self.webhook_url and self.webhook_secret):
            raise ValueError("webhook_url and webhook_secret are needed in webhook mode")
        return self


class SlackConfig(Section):
    bot_token: SecretStr = SecretStr("")
    signing_secret: SecretStr = SecretStr("")
    app_token: SecretStr = SecretStr("")
    api_base_url: str = ""

    @model_validator(mode="after")
    def _mode(self) -> SlackConfig:
        if self.bot_token and not (self.signing_secret or self.app_token):
            raise ValueError(
                "signing_secret (HTTP mode) or app_token (Socket Mode) is needed with bot_token"
            )
        return self


class RemindersConfig(Section):
    lead_times: Annotated[tuple[str, ...], Field(strict=False), AfterValidator(_durations)] = (
        "24h",
        "1h",
    )


def _meeting_length(value: str) -> str:
    if parse_duration(value) <= timedelta(0):
        raise ValueError("a meeting lasts longer than that")
    return value


class CalendarConfig(Section):
    # Of a meeting with a start and no end, in calendars.
    default_duration: Annotated[str, AfterValidator(_meeting_length)] = "3h"

    @property
    def meeting_length(self) -> timedelta:
        return parse_duration(self.default_duration)


def _kept_long_enough(value: str) -> str:
    if parse_duration(value) < SHORTEST_RETENTION:
        raise ValueError(f"keep rows at least 1d, got {value!r}")
    return value


KeptFor = Annotated[str, AfterValidator(_kept_long_enough)]


class RetentionConfig(Section):
    """How long rows are kept once done with (see storage.retention), as durations."""

    deliveries: KeptFor = "90d"
    update_ids: KeptFor = "7d"
    button_commands: KeptFor = "180d"
    codes: KeptFor = "30d"

    def policy(self) -> Retention:
        return Retention(**{name: parse_duration(value) for name, value in self})


class LoggingConfig(Section):
    format: Literal["text", "json"] = "text"  # json: one object a line, for log collectors


# The environment variables that may hold each secret (and the database URL).
ENVIRONMENT = {
    ("database", "url"): "PLENARY_DATABASE_URL",
    ("telegram", "token"): "PLENARY_TELEGRAM_TOKEN",
    ("telegram", "webhook_secret"): "PLENARY_TELEGRAM_WEBHOOK_SECRET",
    ("slack", "bot_token"): "PLENARY_SLACK_BOT_TOKEN",
    ("slack", "signing_secret"): "PLENARY_SLACK_SIGNING_SECRET",
    ("slack", "app_token"): "PLENARY_SLACK_APP_TOKEN",
}


class SecretsFromEnvironment(PydanticBaseSettingsSource):
    """The secrets (and the database URL) the environment holds, under their own names."""

    def __init__(self, settings_cls: type[BaseSettings], environ: dict[str, str]) -> None:
        super().__init__(settings_cls)
        self.environ = environ

    def get_field_value(self, field: Any, field_name: str) -> tuple[Any, str, bool]:
        return self().get(field_name), field_name, True

    def __call__(self) -> dict[str, Any]:
        values: dict[str, Any] = {}
        for (section, key), variable in ENVIRONMENT.items():
            if self.environ.get(variable):
                values.setdefault(section, {})[key] = self.environ[variable]
        return values


class Config(BaseSettings):
    """Every section; `source` says where it came from. Only what `load` reads is used:
    no other environment variable, no .env file."""

    model_config = SettingsConfigDict(extra="forbid", frozen=True)
    database: DatabaseConfig = DatabaseConfig()
    http: HttpConfig = HttpConfig()
    telegram: TelegramConfig = TelegramConfig()
    slack: SlackConfig = SlackConfig()
    reminders: RemindersConfig = RemindersConfig()
    calendar: CalendarConfig = CalendarConfig()
    retention: RetentionConfig = RetentionConfig()
    logging: LoggingConfig = LoggingConfig()
    source: str = Field("built-in defaults", exclude=True)

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        **_other: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return (init_settings,)

    @property
    def embedded(self) -> bool:
        """True when running on the embedded SQLite database of a fresh checkout."""
        return self.database.url == EMBEDDED_URL

    def with_database(self, url: str) -> Config:
        """The same configuration on another database (`--db`), checked."""
        return _validated(lambda: Config(**{**dict(self), "database": {"url": url}}))


def _where(error: dict[str, Any]) -> str:
    location = [str(part) for part in error["loc"]]
    if len(location) >= 2:
        return f"[{location[0]}] {location[1]}"
    return f"[{location[0]}]" if location else "the configuration"


_EXPECTED = {
    "int_type": "expected a whole number",
    "bool_type": "expected true or false",
    "float_type": "expected a number",
    "string_type": "expected text",
    "tuple_type": "expected a list of texts",
    "model_type": "expected a table",
    "dict_type": "expected a table",
}


def _message(error: dict[str, Any]) -> str:
    """A pydantic error in the file's terms; a secret's value is never repeated."""
    kind = error["type"]
    if kind == "extra_forbidden":
        return "unknown key" if len(error["loc"]) > 1 else "unknown section"
    if kind in _EXPECTED:
        return _EXPECTED[kind]
    if kind == "literal_error":
        return "must be " + error["ctx"]["expected"].replace("'", '"')
    if kind == "value_error":
        return error["msg"].removeprefix("Value error, ")
    return error["msg"][0].lower() + error["msg"][1:]


def _validated(make: Callable[[], Config]) -> Config:
    try:
        return make()
    except ValidationError as error:
        first = error.errors(include_input=False)[0]
        raise ConfigError(f"{_where(first)}: {_message(first)}") from None


def _reading(file: str | None, environ: dict[str, str]) -> type[Config]:
    """Config whose values come from the environment's secrets, then the TOML file."""

    class Read(Config):
        @classmethod
        def settings_customise_sources(
            cls,
            settings_cls: type[BaseSettings],
            init_settings: PydanticBaseSettingsSource,
            **_other: PydanticBaseSettingsSource,
        ) -> tuple[PydanticBaseSettingsSource, ...]:
            sources = [init_settings, SecretsFromEnvironment(settings_cls, environ)]
            if file is not None:
                sources.append(TomlConfigSettingsSource(settings_cls, toml_file=file))
            return tuple(sources)

    return Read


def load(path: str | None = None, environ: dict[str, str] | None = None) -> Config:
    """`--config FILE`, else $PLENARY_CONFIG, else ./config.toml if present, else defaults;
    the secrets in the environment win over the file's."""
    environ = dict(os.environ) if environ is None else environ
    chosen = path or environ.get("PLENARY_CONFIG")
    if chosen is None and Path("config.toml").is_file():
        chosen = "config.toml"
    if chosen is None:
        return _validated(lambda: _reading(None, environ)())
    try:
        tomllib.loads(Path(chosen).read_text(encoding="utf-8"))
    except OSError as error:
        raise ConfigError(f"{chosen}: cannot read the file ({error.strerror})") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise ConfigError(f"{chosen}: not valid TOML ({error})") from None
    try:
        return _validated(lambda: _reading(chosen, environ)(source=chosen))
    except ConfigError as error:
        raise ConfigError(f"{chosen}: {error}") from None
