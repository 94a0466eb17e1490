"""A web-chat person who closed the tab: what is sent meanwhile waits and arrives on return."""

from __future__ import annotations

from pathlib import Path

from bot.config import DEFAULT_CONTENT
from bot.counsel.service import Case
from bot.dialogs.definition import load_content
from tests.app_support import (
    WebChatClient,
    app_config,
    onboard,
    payloads,
    running_app,
    web_chat,
)
from tests.counsel.console_support import (
    ConsoleClient,
    RunningConsole,
    console_client,
    running_console,
)


async def a_claimed_case(app: RunningConsole, ana: ConsoleClient, person: WebChatClient) -> Case:
    """The person answers a topic at once (flagged, so a case opens); Ana claims the case."""
    await onboard(person)
    await person.tap("cat:ORG")
    for _ in range(len(load_content(DEFAULT_CONTENT).questions_of("ORG"))):
        await person.tap(payloads(await person.question())[0])
    await person.next("image")
    await person.menu()
    [case] = await app.cases.queue()
    await ana.login()
    await ana.get(f"/counsellor/cases/{case.id}")
    await ana.post(f"/counsellor/cases/{case.id}/claim")
    return case


async def test_a_counsellor_reply_and_badge_wait_for_a_closed_tab_and_arrive_in_order(
    tmp_path: Path, database_url: str
) -> None:
    async with (
        running_console(tmp_path, database_url=database_url) as app,
        console_client(app.url) as ana,
    ):
        async with web_chat(app.url) as person:
            case = await a_claimed_case(app, ana, person)
            assert "counsellor is here" in (await person.next("message"))["text"]
            await person.say("hello\x00 there")  # NUL: PostgreSQL refuses it in a transcript
            token = person.token
        _, location, _ = await ana.post(f"/counsellor/cases/{case.id}/reply", {"text": "Hi!"})
        _, page = await ana.get(location)
        assert "waiting for the person" in page
        assert "Sent to the person." not in page
        await ana.post(f"/counsellor/cases/{case.id}/validate", {"category": "ORG", "level": "2"})
        async with web_chat(app.url) as person:
            await person.hello(token)
            assert (await person.next("message"))["text"] == "🧑‍🏫 Hi!"
            assert "confirmed your level" in (await person.next("message"))["text"]
            badge = await person.next("document")
            assert badge["filename"].endswith("-validated.png")
        lines = [(m.sender, m.text) for m in await app.cases.transcript(case.id)]
        assert ("person", "hello there") in lines


async def test_a_badge_issued_while_away_survives_a_restart_and_arrives_on_return(
    tmp_path: Path, database_url: str
) -> None:
    async with (
        running_console(tmp_path, database_url=database_url) as app,
        console_client(app.url) as ana,
    ):
        async with web_chat(app.url) as person:
            case = await a_claimed_case(app, ana, person)
            await person.next("message")
            token = person.token
        await ana.get(f"/counsellor/cases/{case.id}")
        status, _, _ = await ana.post(
            f"/counsellor/cases/{case.id}/validate", {"category": "ORG", "level": "2"}
        )
        assert status == 303
        await app.cases.deliver_pending()  # the validation is in the person's chat before we stop
    async with (
        running_app(app_config(tmp_path, database_url=database_url)) as url,
        web_chat(url) as person,
    ):
        await person.hello(token)
        assert "confirmed your level" in (await person.next("message"))["text"]
        assert (await person.next("document"))["filename"].endswith("-validated.png")
