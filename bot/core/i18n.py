"""Translation: every user-facing string goes through a `Translator` for the reader's language."""

from __future__ import annotations

import gettext
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from babel.numbers import format_decimal

LOCALE_DIR = Path(__file__).parent.parent / "locale"
DOMAIN = "plenary"
DEFAULT_LANGUAGE = "en"
# The six official languages of the United Nations, each by its own name.
LANGUAGES = {
    "ar": "العربية",
    "zh": "中文",
    "en": "English",
    "fr": "Français",
    "ru": "Русский",
    "es": "Español",
}
RIGHT_TO_LEFT = frozenset({"ar"})


def N_(message: str) -> str:
    """Mark a string for extraction where it is not translated yet (a table, a default): it
    is translated where it is shown, with `Translator.gettext`."""
    return message


@dataclass(frozen=True)
class Translator:
    """The gettext functions for one language, with its Babel locale name."""

    language: str
    translations: gettext.NullTranslations

    def gettext(self, message: str) -> str:
        # gettext("") is the catalog's header: an empty string stays empty.
        return self.translations.gettext(message) if message else message

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self.translations.ngettext(singular, plural, n)

    def number(self, value: int) -> str:
        """A count grouped the language's way: "1,234", "1 234", "1.234"."""
        return format_decimal(value, locale=self.language)


def primary_language(tag: str) -> str:
    """The language of a tag: "fr" for "fr", "fr-CA" or "fr_CA"."""
    return tag.replace("_", "-").split("-")[0].casefold()


@cache
def translator(language: str | None) -> Translator:
    """The translator for a language tag such as "fr" or "zh-Hans"; English for a language
    that is none of the six (its dates would otherwise not match the words around them)."""
    language = primary_language(language or DEFAULT_LANGUAGE)
    if language not in LANGUAGES:
        language = DEFAULT_LANGUAGE
    translations = gettext.translation(DOMAIN, LOCALE_DIR, languages=[language], fallback=True)
    return Translator(language, translations)


class UserError(ValueError):
    """An error whose message is meant for the user: a template marked with `N_` and its
    values, translated where it is shown (`str()` gives the English)."""

    def __init__(self, template: str, **values: object) -> None:
        super().__init__(template.format(**values))
        self.template, self.values = template, values

    def translated(self, tr: Translator) -> str:
        return tr.gettext(self.template).format(**self.values)
