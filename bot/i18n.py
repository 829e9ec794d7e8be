"""Translation: every user-facing string goes through a `Translator` for the reader's language."""

from __future__ import annotations

import gettext
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from babel import Locale, UnknownLocaleError

LOCALE_DIR = Path(__file__).with_name("locale")
DOMAIN = "plenary"
DEFAULT_LANGUAGE = "en"


@dataclass(frozen=True)
class Translator:
    """The gettext functions for one language, with its Babel locale name."""

    language: str
    translations: gettext.NullTranslations

    def gettext(self, message: str) -> str:
        return self.translations.gettext(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self.translations.ngettext(singular, plural, n)


@cache
def translator(language: str | None) -> Translator:
    """The translator for a language tag such as "fr" or "en-US"; English for one that
    Babel cannot format dates in."""
    language = (language or DEFAULT_LANGUAGE).split("-")[0].split("_")[0].lower()
    try:
        Locale.parse(language)
    except (UnknownLocaleError, ValueError):
        language = DEFAULT_LANGUAGE
    translations = gettext.translation(DOMAIN, LOCALE_DIR, languages=[language], fallback=True)
    return Translator(language, translations)
