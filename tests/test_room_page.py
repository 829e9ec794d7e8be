"""The room's page of a list of speakers in a real browser (Debian's Chromium driven by
playwright): it renders, follows "next speaker" within two seconds without a reload, reads
right to left in Arabic, and stops working when its link is revoked."""

from __future__ import annotations

import os
import re
import time
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from playwright.async_api import Browser, async_playwright

from bot.runtime.http import HttpServer, build_app
from tests.test_speakers import CHAIR, MEETING, a_list, says

SQLITE_ONLY = True
CHROMIUM = "/usr/bin/chromium"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# Where the screenshots go (the note describes them); a temporary folder unless asked.
SHOTS = "PLENARY_SCREENSHOTS"


@pytest.fixture
async def browser() -> AsyncIterator[Browser]:
    assert os.path.exists(CHROMIUM), "Chromium is missing: `make test` installs it"
    async with async_playwright() as driver:
        launched = await driver.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield launched
        await launched.close()


@pytest.fixture
async def server(plenary) -> AsyncIterator[str]:
    http = HttpServer(build_app(plenary.core, []), "127.0.0.1", 0)
    await http.start()
    yield f"http://127.0.0.1:{http.port}"
    await http.stop()


async def room_link(plenary) -> str:
    answer = await says(plenary, CHAIR, f"/speakers {MEETING} link")
    return re.search(r"/speakers/([\w-]+)", answer).group(1)


def shot_path(tmp_path: Path, name: str) -> str:
    folder = Path(os.environ.get(SHOTS, tmp_path))
    folder.mkdir(parents=True, exist_ok=True)
    return str(folder / name)


async def test_the_room_page_follows_next_speaker_within_two_seconds(
    plenary, browser, server, tmp_path
):
    await a_list(plenary)
    await says(plenary, CHAIR, f"/speakers {MEETING} next")
    token = await room_link(plenary)
    page = await browser.new_page(viewport={"width": 1920, "height": 1080})
    await page.goto(f"{server}/speakers/{token}")
    speaker = page.locator("#speaker")
    await speaker.filter(has_text="Sierra Leone").wait_for(timeout=5000)
    assert await page.locator("#next li").all_inner_texts() == [
        "2. Italy (on behalf of Uniting for Consensus (UfC))",
        "3. Brazil",
        "4. India",
    ]
    assert await page.locator("#remaining").inner_text() == "4 speakers to come."
    assert re.fullmatch(r"\u2066\d+:\d\d / 5:00\u2069", await page.locator("#used").inner_text())
    await page.screenshot(path=shot_path(tmp_path, "room-en.png"))
    loaded = await page.evaluate("performance.timeOrigin")
    pressed = time.monotonic()
    await says(plenary, CHAIR, f"/speakers {MEETING} next")
    await speaker.filter(has_text="Italy").wait_for(timeout=2000)
    assert time.monotonic() - pressed < 2.0
    assert await page.evaluate("performance.timeOrigin") == loaded, "no reload"
    assert await page.locator("#next li").first.inner_text() == "3. Brazil"


async def test_the_room_page_reads_right_to_left_in_arabic(plenary, browser, server, tmp_path):
    await a_list(plenary)
    await says(plenary, CHAIR, f"/speakers {MEETING} next")
    token = await room_link(plenary)
    page = await browser.new_page(viewport={"width": 1280, "height": 800})
    await page.goto(f"{server}/speakers/{token}?lang=ar")
    await page.locator("#next li").first.wait_for(timeout=5000)
    assert await page.evaluate("document.documentElement.dir") == "rtl"
    assert await page.locator("#now-label").inner_text() == "يتحدث الآن"
    await page.screenshot(path=shot_path(tmp_path, "room-ar.png"))


async def test_a_revoked_or_unknown_link_shows_nothing(plenary, server):
    await a_list(plenary)
    token = await room_link(plenary)
    async with httpx.AsyncClient(base_url=server) as client:
        shown = await client.get(f"/speakers/{token}/state")
        assert shown.status_code == 200 and shown.json()["labels"]["remaining"]
        assert shown.headers["referrer-policy"] == "no-referrer"
        await says(plenary, CHAIR, f"/speakers {MEETING} link revoke")
        assert (await client.get(f"/speakers/{token}")).status_code == 404
        assert (await client.get("/speakers/not-a-real-token-at-all")).status_code == 404
        assert "Only the Chair's office" in await says(
            plenary, "delegate", f"/speakers {MEETING} link"
        )
