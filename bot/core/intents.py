"""Plain-language questions: which command a sentence asks for."""

from __future__ import annotations

import re

from bot.core.context import Request
from bot.core.names import normalize


def _words(*patterns: str, anywhere: tuple[str, ...] = ()) -> re.Pattern[str]:
    """Whole words or phrases; `anywhere` for scripts written without spaces (Chinese)."""
    whole = r"\b(?:" + "|".join(patterns) + r")\b"
    return re.compile("|".join((whole, *anywhere)))


# English first, then French, Spanish, Russian and Arabic, written as `normalize` leaves them
# (no accents, no hamza: "الاعدادات", "настроики").
HELP = _words(
    "help",
    "what can you do",
    "commands",
    "how does this work",
    "aide",
    "ayuda",
    "помощь",
    "справка",
    "مساعدة",
    anywhere=("帮助",),
)
GREETING = re.compile(
    r"^(?:hi|hello|hey|good (?:morning|afternoon|evening)|start|bonjour|salut|hola|"
    r"buenos dias|здравствуите|привет|مرحبا)\b|^(?:你好|您好)"
)
NEXT = _words(
    "next",
    "upcoming meeting",
    "soonest",
    "prochaine? (?:reunion|seance)",
    "proxima (?:reunion|sesion)",
    "следующ\\w* (?:заседани\\w*|встреч\\w*)",
    "الاجتماع القادم",
    anywhere=("下次会议", "下一次会议"),
)
MEETING = _words(
    "meetings?",
    "sessions?",
    "scheduled?",
    "programme",
    "program",
    "calendar",
    "upcoming",
    "when",
    "reunions?",
    "seances?",
    "calendrier",
    "quand",
    "reuniones",
    "sesion(?:es)?",
    "calendario",
    "cuando",
    "заседани\\w*",
    "когда",
    "اجتماعات",
    "متى",
    anywhere=("会议", "什么时候"),
)
MEMBERS = _words(
    "who is in",
    "who s in",
    "whos in",
    "who are in",
    "members?",
    "membership",
    "belongs?",
    "belong to",
    "composition",
    "consists?",
    "who is part of",
)
POSITIONS = _words(
    "positions",
    "who says",
    "what do (?:states|delegations|groups)",
    "views",
    "who supports?",
    "stances",
    "que (?:dit|disent|dice|dicen)",
    "posicion(?:es)?",
    "posturas?",
    "позици\\w*",
    "что говор\\w*",
    "مواقف",
    "موقف",
    anywhere=("立场",),
)
# Who stands where on a key issue's elements: the convergence map (/map).
MAP = _words(
    "who (?:supports?|opposes?|is (?:for|against))",
    "where do(?:es)? .{1,40} stand",
    "convergence",
    "map",
    "qui (?:soutient|soutiennent|s oppose|est pour|est contre)",
    "ou en sont",
    "carte",
    "quien(?:es)? (?:apoya|apoyan|se opone|se oponen)",
    "donde estan",
    "mapa",
    "convergencia",
    "кто (?:поддерживает|против)",
    "позици\\w* групп",
    "где стоят",
    "карта",
    "من (?:يويد|يعارض)",
    "اين تقف",
    "خريطة",
    anywhere=("谁支持", "谁反对", "各集团", "趋同"),
)
ISSUES = _words(
    "issues?",
    "topics?",
    "agenda",
    "questions? cles?",
    "questions? clefs?",
    "cuestiones clave",
    "temas",
    "ключевые вопросы",
    "المسايل الرييسية",
    anywhere=("关键问题",),
)
SETTINGS = _words(
    "settings?",
    "preferences",
    "parametres",
    "reglages",
    "configuracion",
    "ajustes",
    "настроики",
    "الاعدادات",
    anywhere=("设置",),
)
# A search of the positions' words, whatever names the question holds; "who says ..." only when
# it names no State, group or key issue (else it asks for positions).
_SEARCH_ASKS = (
    "search(?: for)?",
    "who (?:mentions?|refers? to|talks? about|speaks? (?:about|of))",
    "(?:which|what) (?:states|countries|delegations|groups) "
    "(?:mentions?|refers? to|talks? about|speaks? (?:about|of)|says?)",
    "mentions? of",
)
SEARCH = _words(*_SEARCH_ASKS)
SEARCH_LAST = _words("who says")
_ASKED = re.compile(
    r"(?i)^.*?\b(?:" + "|".join((*_SEARCH_ASKS, "who says")).replace(" ", r"\W+") + r")\b"
)


def search_words(text: str) -> str:
    """What a search question looks for: "who mentions a review conference?" -> "a review
    conference?"; the text itself when it asks no such question."""
    return _ASKED.sub("", text, count=1).strip()


def classify(text: str, request: Request) -> str | None:
    """The command a plain-language question maps to, or None when it is not understood."""
    words = normalize(text)
    if not words:
        return None
    if HELP.search(words):
        return "help"
    if SEARCH.search(words):
        return "search"
    if request.issues and MAP.search(words):
        return "map"
    has_names = bool(request.issues or request.delegations)
    if GREETING.match(words) and not has_names:
        return "start"
    if NEXT.search(words) and not has_names:
        return "next"
    if (request.day or request.no_such_day) and not request.delegations:
        return "meetings"
    if request.delegations and MEMBERS.search(words):
        return "group"
    if request.delegations:
        return "position"
    if request.issues:
        return "positions" if POSITIONS.search(words) else "issue"
    if MEETING.search(words):
        return "meetings"
    if ISSUES.search(words):
        return "issues"
    if SETTINGS.search(words):
        return "settings"
    if SEARCH_LAST.search(words):
        return "search"
    return None
