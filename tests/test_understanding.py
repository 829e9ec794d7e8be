"""Understanding in the six languages: each new intent as a dialogue table in at least three
languages, dates and spans in words, durations, cities, and "did you mean" only when close."""

from datetime import date, datetime

import pytest
from sqlalchemy import select

from bot.core.cities import find_city
from bot.core.dates import NoSuchDay, Season, Span, find_when
from bot.core.durations import find_durations
from bot.core.messages import Incoming
from storage import subscriptions
from storage.models import Person
from tests.test_i18n import FSI, PDI

SQLITE_ONLY = True  # understanding does not depend on the database engine
MONDAY = datetime.fromisoformat("2016-02-01T09:00:00-05:00")  # the week of the first meeting

# (language, what is said, fragments the answer must hold), asked on Monday 1 February 2016.
DIALOGUES = [
    # the meeting after next
    ("en", "when is the meeting after next?", ["Meeting after next", "22 February 2016"]),
    ("fr", "et la réunion d'après la prochaine ?", ["Réunion d'après", "22 février 2016"]),
    ("ru", "заседание после следующего", ["Заседание после следующего", "22 февраля 2016"]),
    ("zh", "下下次会议是什么时候？", ["下下次会议", "2016年2月22日"]),
    # this week, next week, a month
    ("en", "any meetings this week?", ["Meetings from Monday 1 February", "3 February 2016"]),
    ("es", "reuniones la próxima semana", ["No hay reuniones del lunes, 8 de febrero"]),
    ("ru", "заседания в марте", ["Заседания: — март 2016", "9 марта 2016"]),
    ("ar", "الاجتماعات في مايو", ["الاجتماعات في مايو 2016", "2 مايو 2016"]),
    ("zh", "三月有哪些会议", ["2016年3月的会议", "2016年3月9日"]),
    # a day in words, the year from the programme's session
    ("ru", "что запланировано на 22 февраля?", ["22 февраля 2016"]),
    ("ar", "ما هي الاجتماعات في 22 فبراير؟", ["22 فبراير 2016"]),
    ("zh", "2月22日有什么会议？", ["2016年2月22日"]),
    # a meeting's time in another city
    ("en", "next meeting in Geneva time?", ["16:00 Geneva time"]),
    ("fr", "la prochaine réunion à l'heure de Genève", ["16:00", "Genève"]),
    ("ar", "الاجتماع القادم بتوقيت القاهرة", ["17:00"]),
    # meetings on a key issue
    ("en", "when is the veto discussed?", ["Meetings on the question of the veto"]),
    ("es", "¿cuándo se trata el veto?", ["Reuniones sobre la cuestión del veto"]),
    ("zh", "否决权什么时候讨论？", ["关于否决权问题的会议"]),
    # which groups a State is in; who is in a group; what a group is
    ("en", "which groups is Costa Rica in?", ["Uniting for Consensus (UfC)", "ACT"]),
    ("fr", "à quels groupes appartient le Costa Rica ?", ["Unis pour le consensus"]),
    ("ru", "в какие группы входит Индия?", ["Группа четырех (G4)"]),
    ("fr", "qui fait partie du G4 ?", ["4 membres", "Allemagne", "Brésil", "Inde", "Japon"]),
    ("es", "¿quién forma parte de UfC?", ["12 miembros", "Italia", "Pakistán"]),
    ("ru", "кто входит в группу UfC?", ["12", "Италия", "Пакистан"]),
    ("zh", "UfC 有哪些成员？", ["12", "意大利", "巴基斯坦", "、"]),
    ("ar", "من هم أعضاء UfC؟", ["12", "إيطاليا", "وباكستان"]),  # CLDR's "و"
    ("es", "¿qué es el grupo L.69?", ["Grupo L.69", "Cross-regional developing countries"]),
    # group names as each language writes them
    ("ru", "Группа четырёх", ["Группа четырех (G4)", "Бразилия"]),
    ("zh", "四国集团", ["四国集团", "巴西"]),
    ("ar", "مجموعة الأربع", ["مجموعة الأربعة", "البرازيل"]),
    ("es", "Grupo de los Cuatro", ["Grupo de los Cuatro (G4)", "Brasil"]),
    ("fr", "Groupe des États d'Afrique", ["Groupe des États d'Afrique"]),
    # positions: a State through its groups, compare, what changed, who has not submitted
    ("en", "what does India say on categories?", ["India: no position of its own", "G4"]),
    (
        "fr",
        "que pense le Japon de la représentation régionale ?",
        ["Japon", "Groupe des quatre (G4)", "New permanent seats for Africa"],
    ),
    ("ru", "позиции по численному составу", ["Code of Conduct"]),
    ("en", "compare the G4 and UfC on categories", ["G4 and Uniting for Consensus (UfC)"]),
    (
        "es",
        "compara el G4 y el Grupo Africano sobre las categorías",
        ["Grupo de los Estados de África", "No fewer than two", "Expansion in both"],
    ),
    ("zh", "比较四国集团和团结谋共识在成员类别上的立场", ["四国集团", "团结谋共识"]),
    ("en", "what changed in the G4 position?", ["G4: no position has changed since"]),
    ("ar", "ما الذي تغير في موقف مجموعة الأربع؟", ["مجموعة الأربعة"]),
    ("en", "who hasn't submitted a position on the veto?", ["Groups that have not: ", "ACT"]),
    ("fr", "qui n'a pas soumis de position sur le veto ?", ["Unis pour le consensus"]),
    ("ru", "кто не представил позицию по вето?", ["Объединившиеся в интересах консенсуса"]),
    # searching positions written in English, from another language
    ("ru", "кто упоминает геноцид?", ["ACT", "genocide"]),
    ("zh", "谁提到了行为准则？", ["Code of Conduct"]),
    ("es", "¿quién menciona el Código de Conducta?", ["Code of Conduct"]),
    # the latest announcement (none in the demo)
    ("en", "what's the latest announcement?", ["No announcements yet."]),
    ("fr", "quelle est la dernière annonce ?", ["Aucune communication"]),
    ("zh", "最新公告是什么？", ["公告"]),
    # a sentence that names nothing: no guess
    ("en", "I like turtles very much", ["Sorry, I didn't understand that."]),
    ("es", "me gustan las tortugas", ["Lo siento, no lo he entendido."]),
    ("ar", "أحب السلاحف", ["عذرًا، لم أفهم ذلك."]),
]


async def answer(plenary, text: str, language: str, user: str = "u1"):
    return await plenary.core.answer(Incoming("telegram", user, text, language=language))


def shown(reply) -> str:
    return reply.text.replace(FSI, "").replace(PDI, "")


@pytest.mark.parametrize(("language", "said", "expected"), DIALOGUES)
async def test_dialogue_in_each_language(plenary, language, said, expected):
    plenary.clock.advance(MONDAY - plenary.clock.now())
    reply = await answer(plenary, said, language, user=f"asker-{language}")
    for fragment in expected:
        assert fragment in shown(reply), f"{fragment!r} missing from:\n{reply.text}"
    assert "Did you mean" not in reply.text


def test_the_languages_of_the_dialogue_tables():
    """Every new intent is in the tables in at least three languages."""
    assert len({language for language, _, _ in DIALOGUES}) == 6


async def test_did_you_mean_only_for_a_close_name(plenary):
    far = await answer(plenary, "muchas gracias", "es")
    assert "¿Quería decir" not in far.text
    close = await answer(plenary, "/position Pakistn", "en")
    assert "Pakistan" in close.text


@pytest.mark.parametrize(
    ("language", "said", "leads", "follows"),
    [
        ("en", "remind me an hour before meetings", [60], None),
        ("fr", "rappelle-moi une heure avant chaque réunion", [60], None),
        ("ru", "напоминай мне за 15 минут до заседаний", [15], None),
        ("zh", "会议前一天提醒我", [1440], None),
        ("ar", "ذكرني قبل كل اجتماع بساعة", [60], None),
        ("es", "avísame de las reuniones sobre el veto", None, "veto"),
    ],
)
async def test_reminders_in_plain_words(plenary, language, said, leads, follows):
    reply = await answer(plenary, said, language, user=f"r-{language}")
    async with plenary.sessions() as session:
        person = await session.scalar(select(Person).order_by(Person.id.desc()))
        assert person.lead_times == leads
        followed = await subscriptions.of_person(session, person.id)
    assert followed, reply.text
    if follows:
        assert [s.key_issue_id for s in followed] != [None]


@pytest.mark.parametrize(
    ("language", "said"),
    [("en", "stop reminding me"), ("fr", "annule mes rappels"), ("ru", "отмени напоминания")],
)
async def test_stop_reminding_in_plain_words(plenary, language, said):
    await answer(plenary, "/subscribe", language, user="s1")
    await answer(plenary, said, language, user="s1")
    assert "/subscribe" in (await answer(plenary, "/reminders", language, user="s1")).text


@pytest.mark.parametrize(
    ("language", "said"),
    [("en", "send me the calendar"), ("es", "mándame el calendario"), ("zh", "把日历发给我")],
)
async def test_the_calendar_in_plain_words(plenary, language, said):
    assert "/calendar/" in (await answer(plenary, said, language, user=f"c-{language}")).text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("22 февраля", date(2016, 2, 22)),
        ("22 فبراير", date(2016, 2, 22)),
        ("2月22日", date(2016, 2, 22)),
        ("二月二十二日", date(2016, 2, 22)),
        ("1er juin", date(2016, 6, 1)),
        ("el 9 de marzo", date(2016, 3, 9)),
        ("mercredi", date(2016, 2, 3)),
        ("в среду", date(2016, 2, 3)),
        ("demain", date(2016, 2, 2)),
        ("la semaine prochaine", Span(date(2016, 2, 8), date(2016, 2, 14), "week")),
        ("下周", Span(date(2016, 2, 8), date(2016, 2, 14), "week")),
        ("в марте", Span(date(2016, 3, 1), date(2016, 3, 31), "month")),
        ("الشهر القادم", Span(date(2016, 3, 1), date(2016, 3, 31), "month")),
        ("may I ask something", None),
        ("les sept États", None),
    ],
)
def test_dates_and_spans_in_words(text, expected):
    assert find_when(text, date(2016, 2, 1)) == expected


def test_a_date_without_a_year_falls_in_the_programme_s_session():
    session = Season(date(2016, 2, 3), date(2016, 6, 1))
    assert find_when("22 February", date(2024, 12, 2), session) == date(2016, 2, 22)
    assert find_when("22 February", date(2024, 12, 2)) == date(2025, 2, 22)


def test_a_day_the_calendar_does_not_have():
    with pytest.raises(NoSuchDay):
        find_when("30 февраля", date(2016, 2, 1))


@pytest.mark.parametrize(
    ("text", "minutes"),
    [
        ("an hour before", [60]),
        ("за час", [60]),
        ("一小时", [60]),
        ("بساعة", [60]),
        ("7j 1j 1h 15min", [10080, 1440, 60, 15]),
        ("la veille", [1440]),
        ("remind me on Monday", []),
        ("99999999999999999999999m", []),
    ],
)
def test_durations_in_words(text, minutes):
    assert find_durations(text) == minutes


@pytest.mark.parametrize(
    ("text", "language", "zone"),
    [
        ("heure de Genève", "fr", "Europe/Zurich"),
        ("по московскому времени", "ru", "Europe/Moscow"),
        ("北京时间", "zh", "Asia/Shanghai"),
        ("بتوقيت القاهرة", "ar", "Africa/Cairo"),
        ("la prochaine réunion", "fr", None),
    ],
)
def test_cities_in_the_six_languages(text, language, zone):
    assert find_city(text, language) == zone
