"""The asking words of digests, quiet hours and coverage in the six languages, as `normalize`
leaves them (see bot/core/asking_words.py: whole-word patterns, then Chinese phrases)."""

from __future__ import annotations

PACING: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "digest": (
        (
            "digest",
            "(?:daily|weekly|morning) (?:summary|round ?up|briefing|email)",
            "summary (?:every|each) (?:day|week|morning)",
            "resume (?:quotidien|hebdomadaire|du jour|de la semaine)",
            "recapitulatif\\w*",
            "resumen (?:diario|semanal|del dia|de la semana)",
            "resumen",
            "(?:ежедневн\\w*|еженедельн\\w*|утренн\\w*) (?:сводк\\w*|обзор\\w*|дайджест\\w*)",
            "сводк\\w*",
            "дайджест\\w*",
            "ملخص\\w*",
            "موجز\\w*",
        ),
        ("摘要", "汇总", "简报", "每日总结", "每周总结"),
    ),
    "quiet": (
        (
            "quiet hours?",
            "don ?t (?:message|disturb|write to|ping|bother|notify) me",
            "do not (?:message|disturb|write to|ping|bother|notify) me",
            "no (?:messages?|notifications?) (?:at night|from|between|after)",
            "(?:quiet|silent) (?:at night|overnight)",
            "ne (?:me )?(?:derange\\w*|ecri\\w*|envoie\\w*|envoye\\w*) (?:pas|rien)",
            "heures? (?:calmes?|de silence)",
            "pas de messages? (?:la nuit|de nuit|entre|apres)",
            "no me molest\\w*",
            "no me (?:escrib|envi|mand)\\w* .{0,30}(?:de|por la|en la) noche",
            "horas? (?:de silencio|tranquilas?)",
            "no molestar",
            "sin mensajes (?:de noche|por la noche|entre)",
            "не беспокои\\w*",
            "не (?:пиши|присылаи)\\w* .{0,30}ночью",
            "тихие часы",
            "без сообщении ночью",
            "ساعات الهدوء",
            "عدم الازعاج",
            "لا تزعج\\w*",
            "لا (?:ترسل|تراسل)\\w* .{0,30}(?:الليل|ليلا)",
        ),
        ("免打扰", "勿扰", "不要打扰", "晚上不要", "夜间不要", "静音时段"),
    ),
    "coverage": (
        (
            "who (?:is |s )?(?:covers?|covering|attends?|attending|goes to|going to)",
            "coverage",
            "qui (?:couvre|assure|va a|assiste|ira)",
            "couverture",
            "quien (?:cubre|va a|asiste|ira)",
            "cobertura",
            "кто (?:идет|пои?дет|будет|освещает|покрывает|присутствует)",
            "покрыти\\w*",
            "من (?:يغطي|يحضر|سيحضر|يذهب)",
            "تغطية",
        ),
        ("谁负责", "谁参加", "谁去", "谁出席", "谁跟"),
    ),
}
