"""The counsellor console over HTTP against the real app: login, CSRF, claim, reply, validate."""

from __future__ import annotations

import asyncio
from pathlib import Path

import aiohttp

from bot.config import DEFAULT_CONTENT
from bot.dialogs.definition import load_content
from tests.app_support import onboard, payloads, web_chat
from tests.counsel.console_support import (
    ANA,
    BEN,
    PASSWORD,
    console_client,
    csrf_of,
    running_console,
)


async def test_every_page_and_action_needs_a_login(tmp_path: Path) -> None:
    async with running_console(tmp_path) as app, console_client(app.url) as browser:
        case = await app.open_case("someone")
        for path in ("/counsellor", f"/counsellor/cases/{case.id}"):
            status, _ = await browser.get(path)
            assert status == 303
        status, location, _ = await browser.post(f"/counsellor/cases/{case.id}/claim")
        assert (status, location) == (303, "/counsellor/login")
        after = await app.cases.get(case.id)
        assert after is not None
        assert after.status == "open"


async def test_a_wrong_password_is_refused_and_many_wrong_tries_lock_the_name(
    tmp_path: Path,
) -> None:
    async with running_console(tmp_path) as app, console_client(app.url) as browser:
        status, _, page = await browser.login(ANA, "not the password")
        assert status == 401
        assert "The name or the password is wrong." in page
        assert (await browser.get("/counsellor"))[0] == 303
        for _ in range(4):
            await browser.post("/counsellor/login", {"name": ANA, "password": "nope"})
        status, _, page = await browser.post(
            "/counsellor/login", {"name": "ana novak ", "password": PASSWORD}
        )
        assert status == 429
        assert "Too many wrong tries" in page
        status, location, _ = await browser.login(BEN)
        assert (status, location) == (303, "/counsellor")


async def test_the_session_cookie_is_http_only_strict_and_secure_behind_https(
    tmp_path: Path,
) -> None:
    async with (
        running_console(tmp_path, public_url="https://bot.example.org") as app,
        aiohttp.ClientSession() as http,  # sends a Secure cookie over http only by hand
    ):
        async with http.get(app.url + "/counsellor/login") as response:
            anonymous = response.cookies["__Host-counsellor"]
            token = csrf_of(await response.text())
        async with http.post(
            app.url + "/counsellor/login",
            data={"csrf": token, "name": ANA, "password": PASSWORD},
            headers={"Cookie": f"__Host-counsellor={anonymous.value}"},
            allow_redirects=False,
        ) as response:
            assert response.status == 303
            cookie = response.headers["Set-Cookie"]
    assert cookie.startswith("__Host-counsellor=")
    for attribute in ("HttpOnly", "Secure", "SameSite=Strict", "Path=/", "Max-Age=28800"):
        assert attribute in cookie


async def test_pages_have_a_strict_policy_and_show_nothing_personal(tmp_path: Path) -> None:
    async with running_console(tmp_path) as app, console_client(app.url) as browser:
        case = await app.open_case("chat-id-secret")
        await browser.login()
        async with browser.http.get(f"{app.url}/counsellor/cases/{case.id}") as response:
            page = await response.text()
            headers = response.headers
        policy = headers["Content-Security-Policy"]
        assert "default-src 'none'" in policy
        assert "script-src" not in policy  # no scripts at all: default-src 'none' covers it
        assert "frame-ancestors 'none'" in policy
        assert headers["Cache-Control"] == "no-store"
        assert "chat-id-secret" not in page
        assert "Chose the top answer almost every time" in page
        assert "Answered very fast" in page


async def test_a_missing_wrong_or_foreign_token_is_refused_and_changes_nothing(
    tmp_path: Path,
) -> None:
    async with (
        running_console(tmp_path) as app,
        console_client(app.url) as ana,
        console_client(app.url) as ben,
    ):
        case = await app.open_case("someone")
        await ana.login()
        await ben.login(BEN)
        await ana.get(f"/counsellor/cases/{case.id}")
        await ben.get(f"/counsellor/cases/{case.id}")
        claim = f"/counsellor/cases/{case.id}/claim"
        refused = [
            await ana.post(claim, {"csrf": ""}),
            await ana.post(claim, {"csrf": "forged"}),
            await ana.post(claim, {"csrf": ben.csrf}),
            await ana.post(claim, Origin="https://evil.example"),
            await ana.post(claim, Origin="null"),
        ]
        assert [status for status, _, _ in refused] == [403] * 5
        assert all("Nothing changed" in page for _, _, page in refused)
        after = await app.cases.get(case.id)
        assert after is not None
        assert after.status == "open"
        assert await app.cases.audit(case.id) == []
        status, location, _ = await ana.post(claim, Origin=app.url)
        assert (status, location) == (303, f"/counsellor/cases/{case.id}?done=claimed")


async def test_after_logout_the_old_cookie_is_refused(tmp_path: Path) -> None:
    async with running_console(tmp_path) as app, console_client(app.url) as browser:
        await browser.login()
        old = {cookie.key: cookie.value for cookie in browser.http.cookie_jar}
        await browser.get("/counsellor")
        status, location, _ = await browser.post("/counsellor/logout")
        assert (status, location) == (303, "/counsellor/login")
        async with browser.http.get(
            app.url + "/counsellor", cookies=old, allow_redirects=False
        ) as response:
            assert response.status == 303


async def test_someone_taken_off_the_list_is_logged_out(tmp_path: Path) -> None:
    async with running_console(tmp_path) as app, console_client(app.url) as browser:
        await browser.login(BEN)
        assert (await browser.get("/counsellor"))[0] == 200
        assert await app.cases.remove_counsellor(None, BEN)
        status, _ = await browser.get("/counsellor")
        assert status == 303
        assert not [cookie for cookie in browser.http.cookie_jar if cookie.value]


async def test_the_queue_lists_cases_oldest_first_with_flags_and_holder(tmp_path: Path) -> None:
    async with (
        running_console(tmp_path) as app,
        console_client(app.url) as ana,
        console_client(app.url) as ben,
    ):
        first = await app.open_case("first")
        second = await app.open_case("second", {"category": "CRE", "level": 1, "language": "sl"})
        await ana.login()
        await ben.login(BEN)
        await ben.get(f"/counsellor/cases/{second.id}")
        await ben.post(f"/counsellor/cases/{second.id}/claim")
        status, page = await ana.get("/counsellor")
        assert status == 200
        assert page.index(f"Case {first.id}<") < page.index(f"Case {second.id}<")
        assert "Cases: 2, oldest first." in page
        assert "Taken by Ben Kos" in page
        assert "Free: nobody has it yet" in page
        assert "Chose the top answer almost every time" in page


async def test_two_counsellors_claiming_at_once_one_wins_the_other_is_told_kindly(
    tmp_path: Path,
) -> None:
    async with (
        running_console(tmp_path) as app,
        console_client(app.url) as ana,
        console_client(app.url) as ben,
    ):
        case = await app.open_case("someone")
        for browser, name in ((ana, ANA), (ben, BEN)):
            await browser.login(name)
            await browser.get(f"/counsellor/cases/{case.id}")
        claim = f"/counsellor/cases/{case.id}/claim"
        results = await asyncio.gather(ana.post(claim), ben.post(claim))
        statuses = sorted(status for status, _, _ in results)
        assert statuses == [303, 409]
        after = await app.cases.get(case.id)
        assert after is not None
        winner = ANA if results[0][0] == 303 else BEN
        loser_page = next(page for status, _, page in results if status == 409)
        assert f"Already taken by {winner}." in loser_page
        assert f"{winner} took the case" in loser_page  # the history, from the audit log
        assert after.claimed_by == ("ana-novak" if winner == ANA else "ben-kos")
        claims = [entry for entry in await app.cases.audit(case.id) if entry["action"] == "claim"]
        assert len(claims) == 1


async def test_only_the_holder_may_reply_and_bad_input_is_explained(tmp_path: Path) -> None:
    async with (
        running_console(tmp_path) as app,
        console_client(app.url) as ana,
        console_client(app.url) as ben,
    ):
        case = await app.open_case("someone")
        await ana.login()
        await ben.login(BEN)
        await ben.get(f"/counsellor/cases/{case.id}")
        status, _, page = await ben.post(f"/counsellor/cases/{case.id}/reply", {"text": "hi"})
        assert status == 403
        assert "Take the case first." in page
        await ana.get(f"/counsellor/cases/{case.id}")
        await ana.post(f"/counsellor/cases/{case.id}/claim")
        status, page = await ben.get(f"/counsellor/cases/{case.id}")
        assert "Taken by Ana Novak" in page
        assert f'action="/counsellor/cases/{case.id}/reply"' not in page
        status, _, page = await ben.post(f"/counsellor/cases/{case.id}/reply", {"text": "hi"})
        assert status == 403
        assert "Already taken by Ana Novak." in page
        status, _, page = await ana.post(f"/counsellor/cases/{case.id}/reply", {"text": "  "})
        assert status == 400
        status, _, page = await ana.post(
            f"/counsellor/cases/{case.id}/validate", {"category": "XYZ", "level": "2"}
        )
        assert status == 400
        assert "Please choose a topic and a level." in page
        assert await app.cases.transcript(case.id) == []
        status, page = await ana.get("/counsellor/cases/999")
        assert status == 404


async def test_claim_reply_and_validate_reach_the_person_in_the_web_chat(tmp_path: Path) -> None:
    questions = len(load_content(DEFAULT_CONTENT).questions_of("ORG"))
    async with (
        running_console(tmp_path) as app,
        web_chat(app.url) as person,
        console_client(app.url) as ana,
    ):
        await onboard(person)
        await person.tap("cat:ORG")
        for _ in range(questions):  # tapped at once: too fast, so the result is flagged
            await person.tap(payloads(await person.question())[0])
        await person.next("image")
        await person.menu()
        [case] = await app.cases.queue()
        assert case.reason == "flags"
        assert case.summary["category"] == "ORG"

        await ana.login()
        status, page = await ana.get("/counsellor")
        assert f'href="/counsellor/cases/{case.id}"' in page
        status, page = await ana.get(f"/counsellor/cases/{case.id}")
        assert "Answered very fast" in page
        org = load_content(DEFAULT_CONTENT).category("ORG")
        assert f"<h3>{org.emoji} {org.name}</h3>" in page
        status, location, _ = await ana.post(f"/counsellor/cases/{case.id}/claim")
        assert status == 303
        assert "counsellor is here" in (await person.next("message"))["text"]

        reply = "Hello, I am Ana. <b>Shall we talk?</b>"
        await ana.post(f"/counsellor/cases/{case.id}/reply", {"text": reply})
        assert (await person.next("message"))["text"] == "🧑‍🏫 " + reply
        await person.say("Yes please")
        status, page = await ana.get(f"/counsellor/cases/{case.id}?done=replied")
        assert "Sent to the person." in page
        assert "&lt;b&gt;Shall we talk?&lt;/b&gt;" in page
        assert "<b>Shall we talk?</b>" not in page

        status, location, _ = await ana.post(
            f"/counsellor/cases/{case.id}/validate",
            {"category": "ORG", "level": "2", "note": "Well done."},
        )
        assert (status, location) == (303, f"/counsellor/cases/{case.id}?done=validated")
        said = await person.next("message")
        assert "confirmed your level" in said["text"]
        assert "Well done." in said["text"]
        badge = await person.next("document")
        assert badge["filename"].endswith("-validated.png")
        assert badge["href"].startswith("data:image/png;base64,")
        lines = [(m.sender, m.text) for m in await app.cases.transcript(case.id)]
        assert ("counsellor", reply) in lines
        assert ("person", "Yes please") in lines
