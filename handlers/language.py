"""The language Plenary answers in: one of the six official languages of the United Nations."""

from __future__ import annotations

from bot.core.commands import command
from bot.core.context import Context, Request
from bot.core.i18n import LANGUAGES, primary_language, translator
from bot.core.messages import Button, Reply, bold

# What a reader may type besides the code: the language's own name or its English name.
_ENGLISH_NAMES = {
    "arabic": "ar",
    "chinese": "zh",
    "english": "en",
    "french": "fr",
    "russian": "ru",
    "spanish": "es",
}
_BY_NAME = {name.casefold(): code for code, name in LANGUAGES.items()} | _ENGLISH_NAMES


def find_language(text: str) -> str | None:
    """The code of one of the six from "fr", "fr-CA", "Français" or "French"; else None."""
    text = text.strip().casefold()
    code = primary_language(text)
    return code if code in LANGUAGES else _BY_NAME.get(text)


def _choices(reply: Reply) -> Reply:
    """The six languages as buttons, three a row, each by its own name."""
    buttons = [Button(name, f"/language {code}") for code, name in LANGUAGES.items()]
    return reply.button_row(*buttons[:3]).button_row(*buttons[3:])


@command("language", usage="/language [LANGUAGE]", personal=True)
async def set_language(ctx: Context, request: Request) -> Reply:
    """Choose the language I answer in."""
    text = request.text.strip()
    if not text:
        reply = Reply().paragraph(ctx._("Language: "), bold(LANGUAGES[ctx.tr.language]))
        return _choices(reply.paragraph(ctx._("Choose the language I answer you in:")))
    code = find_language(text)
    if code is None:
        known = ", ".join(f"{name} ({code})" for code, name in LANGUAGES.items())
        return _choices(
            Reply().paragraph(
                ctx._(
                    "“{name}” is not one of my languages. I speak the six official languages "
                    "of the United Nations: {languages}."
                ).format(name=text[:40], languages=known)
            )
        )
    person = await ctx.person_for_update()
    person.language = code
    ctx.tr = translator(code)
    return Reply().paragraph(
        ctx._("From now on I answer you in {language}.").format(language=LANGUAGES[code])
    )
