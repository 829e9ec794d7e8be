"""What the user-facing benchmarks ask: everyday questions in three languages, by command and
in plain words, and texts Plenary cannot read, each different."""

from __future__ import annotations

import random

# (text, the language of the app it is written from)
EVERYDAY: list[tuple[str, str]] = [
    ("/next", "en"),
    ("when is the next meeting?", "en"),
    ("/meetings", "en"),
    ("/issues", "en"),
    ("/positions veto", "en"),
    ("what does the G4 say about the veto?", "en"),
    ("who is in UfC?", "en"),
    ("/position Brazil", "en"),
    ("what is the African Group's position on regional representation?", "en"),
    ("/groups", "en"),
    ("/help", "en"),
    ("quand a lieu la prochaine réunion ?", "fr"),
    ("quelle est la position du Groupe des quatre sur le droit de veto ?", "fr"),
    ("qui fait partie du groupe africain ?", "fr"),
    ("positions sur la taille du Conseil", "fr"),
    ("¿cuándo es la próxima reunión?", "es"),
    ("¿qué dice Brasil sobre el veto?", "es"),
    ("¿quiénes forman parte de Unidos por el Consenso?", "es"),
    ("¿qué dice Italia sobre la representación regional?", "es"),
    ("what is on 22 February?", "en"),
]
LETTERS = "bcdfghjklmnpqrstvwxz" + "aeiou" * 2


def unreadable(n: int, seed: int = 24) -> list[str]:
    """`n` different texts of three made-up words that name nothing Plenary knows."""
    rng = random.Random(seed)
    return [
        " ".join("".join(rng.choice(LETTERS) for _ in range(rng.randint(4, 9))) for _ in range(3))
        for _ in range(n)
    ]
