"""Issue 13 end to end over HTTP: a worker's Arabic invite, its flyer, a person, the figures."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.outreach.report import build_report
from bot.outreach.storage import SqlOutreach
from tests.app_support import WebChatClient
from tests.outreach.app_support import (
    ADMIN,
    PASSWORD,
    WORKER,
    Browser,
    browser_session,
    running,
)
from tests.outreach.qr_read import pdf_page_png, qr_texts


async def test_worker_invite_flyer_person_figures_and_report(tmp_path: Path) -> None:
    async with running(tmp_path) as app, browser_session() as http:
        admin = Browser(app.url, browser_session())
        worker = Browser(app.url, http)
        try:
            await admin.counsellor_login(ADMIN)
            status, where = await admin.post(
                "/counsellor/outreach/workers", "/counsellor/outreach",
                {"name": WORKER, "password": PASSWORD},
            )  # fmt: skip
            assert (status, where) == (303, "/counsellor/outreach?done=worker")

            await worker.worker_login(WORKER)
            status, _ = await worker.post(
                "/counsellor/outreach/invites", "/counsellor/outreach",
                {"organisation": "Red Cross", "campaign": "Market day", "language": "ar"},
            )  # fmt: skip
            assert status == 303
            page = (await worker.get("/counsellor/outreach"))[1]
            code = re.findall(r'data-code="([A-Za-z0-9_-]+)"', page)[0]
            flyer = await worker.download(f"/counsellor/outreach/invites/{code}/flyer-a4.pdf")
            landing = f"{app.url}/i/{code}"
            assert qr_texts(pdf_page_png(flyer)) == [landing]  # the printed QR opens the page

            status, html = await worker.get(f"/i/{code}")
            assert status == 200
            assert '<html lang="ar" dir="rtl">' in html
            assert f'href="{app.url}/?invite={code}"' in html
            assert "t.me" not in html  # Telegram is off here: no door for it

            async with http.ws_connect(f"{app.url.replace('http', 'ws')}/ws") as ws:
                person = WebChatClient(ws)
                await ws.send_json({"type": "hello", "token": None, "lang": "en", "invite": code})
                consent = await person.question()
                assert consent["lang"] == "ar"
                assert consent["dir"] == "rtl"
                await person.tap("consent:yes")
                await person.question()  # the menu

            figures = await worker.download("/counsellor/outreach/figures.csv")
            rows = {row["invite"]: row for row in csv.DictReader(io.StringIO(figures.decode()))}
            assert rows[code]["landing visits"] == "1"
            assert rows[code]["started"] == "1"
            assert rows[code]["consented"] == "1"
            assert "chat" not in figures.decode()  # counts only

            assert (await worker.get("/counsellor/outreach/report"))[0] == 403
            assert (await worker.get("/counsellor"))[0] == 303  # no cases for outreach workers
            status, report = await admin.get("/counsellor/outreach/report?org=Red+Cross")
            assert status == 200
            assert "<td>people</td><td>started</td><td>&lt;5</td>" in report
            now = datetime.now(UTC)
            counted = await build_report(
                app.store.engine, SqlOutreach(app.store.engine),
                now - timedelta(days=1), now + timedelta(days=1), "Red Cross",
            )  # fmt: skip
            assert (counted.people, counted.consented, counted.languages["ar"]) == (1, 1, 1)
            assert counted.channels["web"] == 1
        finally:
            await admin.http.close()


async def test_a_worker_sees_only_their_own_invites(tmp_path: Path) -> None:
    async with running(tmp_path) as app, browser_session() as http:
        admin = Browser(app.url, http)
        await admin.counsellor_login(ADMIN)
        for name in (WORKER, "Omar Ali"):
            await admin.post(
                "/counsellor/outreach/workers", "/counsellor/outreach",
                {"name": name, "password": PASSWORD},
            )  # fmt: skip
        async with browser_session() as one, browser_session() as other:
            sara, omar = Browser(app.url, one), Browser(app.url, other)
            await sara.worker_login(WORKER)
            await omar.worker_login("Omar Ali")
            await sara.post(
                "/counsellor/outreach/invites", "/counsellor/outreach",
                {"organisation": "Caritas", "campaign": "Library"},
            )  # fmt: skip
            code = re.findall(r'data-code="([^"]+)"', (await sara.get("/counsellor/outreach"))[1])
            assert len(code) == 1
            assert code[0] not in (await omar.get("/counsellor/outreach"))[1]
            assert (await omar.get(f"/counsellor/outreach/invites/{code[0]}/qr.png"))[0] == 404
            assert code[0] in (await admin.get("/counsellor/outreach"))[1]  # admins see all


async def test_an_unknown_code_gets_a_kind_page_not_an_error(tmp_path: Path) -> None:
    async with running(tmp_path) as app, browser_session() as http:
        headers = {"Accept-Language": "sl-SI,sl;q=0.9"}
        async with http.get(f"{app.url}/i/NoSuchCode123456", headers=headers) as response:
            assert response.status == 200
            html = await response.text()
        assert "ne deluje več" in html
        assert f'href="{app.url}/"' in html  # the normal start, without a code
