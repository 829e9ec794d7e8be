"""What people call the UN's Member States in its six languages: the Unicode CLDR's names
(through Babel), so that "Brésil", "Бразилия" or "巴西" finds Brazil. Only for understanding
what is typed: Plenary shows the UN's own short names, as stored."""

from __future__ import annotations

import tomllib
from functools import cache

from babel import Locale

from storage import DATA_DIR
from storage.member_states import reference_states

CODES_FILE = DATA_DIR / "state_codes.toml"
UN_LANGUAGES = ("en", "ar", "zh", "fr", "ru", "es")
# Names that are also everyday words, so not taken as a State's: Russian "того" ("of that").
EVERYDAY_WORDS = frozenset({"Того"})


@cache
def codes() -> dict[str, str]:
    """Each Member State's key in the reference list -> its ISO 3166-1 alpha-2 code."""
    with CODES_FILE.open("rb") as file:
        return tomllib.load(file)


@cache
def common_names() -> dict[str, tuple[str, ...]]:
    """Each Member State's reference name -> its common names in the six languages."""
    states = reference_states()
    return {
        states[key].name: tuple(
            dict.fromkeys(
                name
                for language in UN_LANGUAGES
                if (name := Locale(language).territories[code]) not in EVERYDAY_WORDS
            )
        )
        for key, code in codes().items()
    }
