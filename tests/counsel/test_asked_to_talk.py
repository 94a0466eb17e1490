"""Issue 12 item 7: "Talk to a person" on an open case reaches a person, over the real app."""

from __future__ import annotations

from pathlib import Path

from bot.config import DEFAULT_CONTENT
from bot.dialogs.definition import load_content
from tests.app_support import onboard, payloads, web_chat
from tests.counsel.console_support import console_client, running_console


async def test_asking_after_a_flagged_result_is_recorded_and_moves_the_case_up(
    tmp_path: Path,
) -> None:
    questions = len(load_content(DEFAULT_CONTENT).questions_of("ORG"))
    async with (
        running_console(tmp_path) as app,
        web_chat(app.url) as person,
        console_client(app.url) as ana,
    ):
        older = await app.open_case("someone-else")
        await onboard(person)
        await person.tap("cat:ORG")
        for _ in range(questions):  # tapped at once: too fast, so the result is flagged
            await person.tap(payloads(await person.question())[0])
        await person.next("image")
        await person.menu()  # after the tips
        queue = await app.cases.queue()
        assert [c.reason for c in queue] == ["flags", "flags"]
        flagged = queue[1]

        await person.tap("nav:human")
        told = (await person.next("message"))["text"]
        while "top of their list" not in told:  # the tips' messages may come first
            told = (await person.next("message"))["text"]
        await ana.login()
        _, queue_page = await ana.get("/counsellor")
        _, case_page = await ana.get(f"/counsellor/cases/{flagged.id}")

    assert "top of their list" in told
    assert "working day" in told
    assert queue_page.index(f"Case {flagged.id}<") < queue_page.index(f"Case {older.id}<")
    assert "🙋 Asked to talk, " in queue_page
    assert "No messages yet" not in case_page
    assert "🙋 Asked to talk, " in case_page
