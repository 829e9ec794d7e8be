"""The convergence map: the demo's map drawn in the six languages and read back, the text
table, `since`, exports, plain questions, elements and stances written through previews, and
the picture sent on Telegram (a photo) and Slack (a file)."""

from __future__ import annotations

import csv
import io
import warnings
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from PIL import Image

from bot.core.messages import Incoming
from storage.files import fonts
from storage.files.map_picture import COLOURS
from testkit.fakes.slack_api import direct_message, event
from testkit.fakes.telegram_api import private_message
from tests.slack_chat import converse as slack_converse
from tests.test_telegram import converse as telegram_converse

SQLITE_ONLY = True  # pictures and transports; test_map_writes runs on PostgreSQL too
JUNE = datetime(2016, 6, 1, 12, tzinfo=ZoneInfo("America/New_York"))
LANGUAGES = ["en", "fr", "es", "ru", "ar", "zh"]


async def ask(plenary, text: str, language: str = "en", user: str = "delegate"):
    incoming = Incoming("console", user, text, chat_id=user, direct_chat_id=user, language=language)
    return await plenary.core.answer(incoming)


def on_june_1(plenary) -> None:
    plenary.clock.advance(JUNE - plenary.clock.now())


def rgb(colour: str) -> tuple[int, int, int]:
    return tuple(int(colour[i : i + 2], 16) for i in (1, 3, 5))


def colours_in(png: bytes) -> set[tuple[int, int, int]]:
    image = Image.open(io.BytesIO(png)).convert("RGB")
    return {colour for _count, colour in image.getcolors(maxcolors=1 << 20)}


def green_cell_side(png: bytes) -> str:
    """Which half of the picture holds the support (green) on the last element's row."""
    image = Image.open(io.BytesIO(png)).convert("RGB")
    green = rgb(COLOURS["supports"])
    width, height = image.size
    for y in range(height - 1, 0, -1):  # the last row of the grid, from below
        xs = [x for x in range(width) if image.getpixel((x, y)) == green]
        if len(xs) > 60:  # a cell, not the legend's swatch
            return "left" if sum(xs) / len(xs) < width / 2 else "right"
    raise AssertionError("no green cell found")


@pytest.mark.parametrize("language", LANGUAGES)
async def test_the_demo_map_is_drawn_in_every_language(plenary, language):
    on_june_1(plenary)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        reply = await ask(plenary, "/map categories", language)
    (picture,) = reply.attachments
    assert picture.media_type == "image/png" and picture.filename.endswith(".png")
    image = Image.open(io.BytesIO(picture.content))
    assert image.format == "PNG" and image.size[0] >= 700 and image.size[1] >= 400
    found = colours_in(picture.content)
    assert len(found) > 50, "not blank: text, grid and legend"
    assert {rgb(colour) for colour in COLOURS.values()} <= found, "every legend colour is drawn"
    missing = [str(w.message) for w in caught if "missing from font" in str(w.message)]
    assert missing == [], "every glyph is in the fonts the packages installed"
    assert fonts.covers(language)


async def test_arabic_lays_the_map_out_right_to_left(plenary):
    on_june_1(plenary)
    english = (await ask(plenary, "/map categories", "en")).attachments[0].content
    arabic = (await ask(plenary, "/map categories", "ar")).attachments[0].content
    # Only UfC supports the last element; it is the last column, on the right in English.
    assert green_cell_side(english) == "right"
    assert green_cell_side(arabic) == "left"


def test_chinese_needs_the_installed_cjk_font():
    """The check above can fail: matplotlib's own font has no Chinese glyphs."""
    from matplotlib.figure import Figure

    figure = Figure()
    figure.text(0, 0, "否决权", family=["DejaVu Sans"])
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        figure.savefig(io.BytesIO(), format="png")
    assert any("missing from font(s) DejaVu Sans" in str(w.message) for w in caught)
    assert "Noto Sans CJK TC" in fonts.families() and "Noto Sans Arabic" in fonts.families()


async def test_csv_and_svg_exports(plenary):
    on_june_1(plenary)
    exported = (await ask(plenary, "/map categories csv")).attachments[0]
    rows = list(csv.DictReader(io.StringIO(exported.content.decode("utf-8-sig"))))
    assert exported.filename == "map-categories-2016-06-01.csv"
    assert {
        "issue": "categories",
        "element": "categories-1",
        "wording": "New permanent seats",
        "status": "",
        "paper": "",
        "holder": "Uniting for Consensus (UfC)",
        "stance": "opposes",
        "date": "2016-05-02",
        "source": "pk_0502; ufc_2024",
    } in rows
    assert len(rows) == 9
    svg = (await ask(plenary, "/map categories svg")).attachments[0]
    assert svg.media_type == "image/svg+xml" and b"<svg" in svg.content[:500]


QUESTIONS = [
    ("who supports new permanent seats?", "en", "categories"),
    ("where do the groups stand on the veto?", "en", "veto"),
    ("Qui soutient les nouveaux sièges permanents ?", "fr", "categories"),
    ("Où en sont les groupes sur le veto ?", "fr", "veto"),
    ("¿Quién apoya nuevos puestos permanentes?", "es", "categories"),
    ("¿Dónde están los grupos sobre el veto?", "es", "veto"),
    ("Кто поддерживает новые постоянные места?", "ru", "categories"),
    ("Какова позиция групп по вето?", "ru", "veto"),
    ("من يؤيد المقاعد الدائمة؟", "ar", "categories"),
    ("أين تقف المجموعات من حق النقض؟", "ar", "veto"),
    ("谁支持新常任席位？", "zh", "categories"),
    ("各集团在否决权问题上的立场如何？", "zh", "veto"),
]


@pytest.mark.parametrize(("question", "language", "issue"), QUESTIONS)
async def test_plain_questions_get_the_map(plenary, question, language, issue):
    reply = await ask(plenary, question, language)
    assert [a.filename for a in reply.attachments] == [f"map-{issue}-2016-01-15.png"]


async def test_the_map_is_a_photo_on_telegram(plenary, fake_telegram, telegram):
    await telegram_converse(fake_telegram, private_message("/map categories"))
    (photo,) = await fake_telegram.wait_for(1, "sendPhoto", chat_id=501)
    assert photo.params["photo"]["content"].startswith(b"\x89PNG")
    assert not fake_telegram.sent("sendDocument")


async def test_the_map_is_an_image_file_on_slack(plenary, fake_slack, slack):
    answer = await slack_converse(fake_slack, slack, event(direct_message("/map veto")))
    assert "Convergence map: the question of the veto" in answer
    await fake_slack.wait_for(1, "files.completeUploadExternal")
    ((title, content),) = fake_slack.uploaded()
    assert title == "map-veto-2016-01-15.png" and content.startswith(b"\x89PNG")
