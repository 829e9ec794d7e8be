"""Telegram HTML rendering: escaping, splitting under 4,096 characters, valid markup."""

from bot.core.messages import Reply, bold, link
from bot.render.telegram import render_messages
from testkit.telegram_html import check_message


def test_long_replies_split_between_paragraphs_within_the_limit():
    reply = Reply().heading("Positions")
    for n in range(300):
        reply.item(f"Delegation {n} & <partners>: ", "text " * 20)
    reply.paragraph("x" * 9000)
    messages = render_messages(reply)
    assert len(messages) > 3
    visible = "".join(check_message(message) for message in messages)
    assert "Delegation 299 & <partners>" in visible
    assert visible.count("x") >= 9000


def test_user_text_is_escaped_and_links_are_quoted():
    reply = Reply().heading("<b>&").paragraph(bold("a < b"), link("x", 'http://e.org/?a=1&b="2"'))
    (message,) = render_messages(reply)
    assert message == (
        "<b>&lt;b&gt;&amp;</b>\n<b>a &lt; b</b>"
        '<a href="http://e.org/?a=1&amp;b=&quot;2&quot;">x</a>'
    )
    assert check_message(message) == "<b>&\na < bx"


def test_a_long_paragraph_is_cut_only_where_a_message_must_end():
    sentence = "The five key issues are interlinked & need the widest acceptance. "
    reply = Reply().paragraph(sentence * 240)  # about 16,000 characters
    messages = render_messages(reply)
    visible = [check_message(message) for message in messages]
    assert len(messages) > 1
    assert all(len(message) > 3900 for message in messages[:-1])  # each message full
    assert all("\n" not in text for text in visible)  # no line breaks inside the paragraph
    assert " ".join(t.strip() for t in visible).split() == (sentence * 240).split()


def test_a_link_with_a_huge_address_keeps_its_text():
    reply = Reply().paragraph(link("the letter", "https://example.org/" + "x" * 5000))
    (message,) = render_messages(reply)
    assert check_message(message) == "the letter"
