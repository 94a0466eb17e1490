"""The outreach console at /counsellor/outreach: invites, downloads, figures, the report."""

from __future__ import annotations

import secrets
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, time, timedelta

from aiohttp import web
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.counsel.console.templates import layout, notice, text
from bot.framework.i18n import Catalogs
from bot.outreach import flyer, pages
from bot.outreach.auth import PREFIX, Gatekeeper, Viewer
from bot.outreach.figures import funnel_png, funnels_csv, invite_funnels
from bot.outreach.model import Invite, Worker
from bot.outreach.report import Report, build_report, level_chart, report_csv
from bot.outreach.service import NewInvite, OutreachService
from bot.outreach.words import words

EXTRA_STYLE = (
    ".wide{overflow-x:auto}table{border-collapse:collapse;font-size:.9rem}"
    "th,td{border-bottom:1px solid #ddd;padding:.25rem .5rem;text-align:start}"
    ".charts img{display:block;max-width:100%;height:auto;margin:0 0 1rem}"
)
DONE = {"invite": "The invite is ready. Download its flyer below.", "worker": "Worker saved."}
# The shared layout's header links to the cases; a worker's should lead back here.
CASES_LINK = '<a href="/counsellor">🧑‍🏫 Cases</a>'
OUR_LINK = f'<a href="{PREFIX}">📣 Outreach</a>'
MIME = {"png": "image/png", "svg": "image/svg+xml", "pdf": "application/pdf"}


class OutreachConsole:
    """The handlers; every page asks the Gatekeeper who is looking first."""

    def __init__(
        self,
        gate: Gatekeeper,
        service: OutreachService,
        catalogs: Catalogs,
        topics: Sequence[tuple[str, str]],
        public_url: str,
        clock: Callable[[], datetime],
    ) -> None:
        self._gate, self._service, self._catalogs = gate, service, catalogs
        self._english = catalogs.get("en")  # the outreach pages are in English for now
        self._topics, self._public_url, self._clock = topics, public_url, clock

    def routes(self) -> list[web.RouteDef]:
        """Every outreach console route."""
        code = r"/invites/{code:[A-Za-z0-9_-]{1,64}}"
        return [
            web.get(PREFIX, self.home),
            web.get(f"{PREFIX}/login", self.login_form),
            web.post(f"{PREFIX}/login", self.login),
            web.post(f"{PREFIX}/logout", self.logout),
            web.post(f"{PREFIX}/invites", self.create),
            web.post(f"{PREFIX}/workers", self.add_worker),
            web.get(PREFIX + code + r"/{file:[a-z0-9-]+\.(?:png|svg|pdf)}", self.download),
            web.get(f"{PREFIX}/figures.csv", self.figures_csv),
            web.get(f"{PREFIX}/report", self.report),
            web.get(f"{PREFIX}/report.csv", self.report_csv),
            web.get(PREFIX + r"/report/levels/{topic:[A-Za-z]{1,16}}.png", self.report_chart),
        ]

    async def home(self, request: web.Request) -> web.Response:
        """Invites (own, or all for an admin), the form for a new one, the figures."""
        viewer = await self._gate.viewer(request)
        invites = await self._service.repo.invites(viewer.worker_id)
        workers = await self._service.repo.workers()
        names = {w.id: w.name for w in workers}
        languages = [(c, self._catalogs.native_name(c)) for c in self._catalogs.languages]
        funnels = await invite_funnels(self._gate_engine(), self._service.repo, invites)
        done = DONE.get(request.query.get("done", ""), "")
        body = (
            ("<h1>Outreach</h1>" + (notice(done) if done else ""))
            + pages.invite_form(viewer.csrf, languages)
            + pages.invite_list(invites, self._public_url, names)
            + pages.figures_table(funnels, self._topic_ids())
            + ("" if viewer.worker_id else pages.workers_section(viewer.csrf, workers))
        )
        return self._page("Outreach", body, viewer)

    async def login_form(self, request: web.Request) -> web.Response:
        """The login form with a fresh anonymous session for its CSRF token."""
        return self._login_page()

    async def login(self, request: web.Request) -> web.Response:
        """A worker logs in; wrong names and passwords are throttled."""
        fields = await self._gate.form(request, None)
        problem = await self._gate.log_in(request, fields)
        return self._login_page(problem or "", 401)

    async def logout(self, request: web.Request) -> web.Response:
        """End the session."""
        viewer = await self._gate.viewer(request)
        await self._gate.form(request, viewer)
        await self._gate.log_out(viewer)
        response = web.HTTPSeeOther(f"{PREFIX}/login")
        response.del_cookie(self._gate.cookie, path="/", secure=self._gate.secure)
        raise response

    async def create(self, request: web.Request) -> web.Response:
        """Make an invite for the signed-in worker (an admin makes them as `admin`)."""
        viewer = await self._gate.viewer(request)
        fields = await self._gate.form(request, viewer)
        worker = await self._worker_of(viewer)
        try:
            await self._service.create(worker, self._new_invite(fields))
        except ValueError as problem:
            return self._page("Outreach", notice(str(problem), bad=True), viewer, 400)
        raise web.HTTPSeeOther(f"{PREFIX}?done=invite")

    async def add_worker(self, request: web.Request) -> web.Response:
        """Admins add an outreach worker (or set a worker's password)."""
        viewer = await self._admin(request)
        fields = await self._gate.form(request, viewer)
        telegram = fields.get("telegram_id", "").strip()
        try:
            await self._service.add_worker(
                fields.get("name", ""),
                fields.get("password") or None,
                int(telegram) if telegram.isdigit() else None,
            )
        except ValueError as problem:
            return self._page("Outreach", notice(str(problem), bad=True), viewer, 400)
        raise web.HTTPSeeOther(f"{PREFIX}?done=worker")

    async def download(self, request: web.Request) -> web.Response:
        """QR codes, the card, the flyers and the funnel chart of one of the viewer's invites."""
        viewer = await self._gate.viewer(request)
        invite = await self._invite(request, viewer)
        url = f"{self._public_url}/i/{invite.code}"
        lang = request.query.get("lang") or invite.language
        w = words(self._catalogs.get(lang if lang in self._catalogs.languages else None))
        name = request.match_info["file"]
        makers: dict[str, Callable[[], bytes]] = {
            "qr.png": lambda: flyer.qr_png(url),
            "qr.svg": lambda: flyer.qr_svg(url),
            "card.png": lambda: flyer.card_png(url, w),
            "flyer-a4.pdf": lambda: flyer.flyer_pdf(url, w, "A4"),
            "flyer-a6.pdf": lambda: flyer.flyer_pdf(url, w, "A6"),
            "funnel.png": lambda: b"",
        }
        if name not in makers:
            raise web.HTTPNotFound(text="No such file.")
        if name == "funnel.png":
            funnels = await invite_funnels(self._gate_engine(), self._service.repo, [invite])
            content = funnel_png(funnels[0], self._topic_ids())
        else:
            content = makers[name]()
        filename = f"invite-{invite.code[:6]}-{name}"
        headers = {
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Cache-Control": "no-store",
        }
        return web.Response(
            body=content, content_type=MIME[name.rsplit(".", 1)[1]], headers=headers
        )

    async def figures_csv(self, request: web.Request) -> web.Response:
        """The viewer's figures as CSV: counts per invite, never who."""
        viewer = await self._gate.viewer(request)
        invites = await self._service.repo.invites(viewer.worker_id)
        funnels = await invite_funnels(self._gate_engine(), self._service.repo, invites)
        return _csv(funnels_csv(funnels, self._topic_ids()), "outreach-figures.csv")

    async def report(self, request: web.Request) -> web.Response:
        """The programme report page, for admins."""
        viewer = await self._admin(request)
        report, chosen = await self._build(request)
        organisations = sorted({i.organisation for i in await self._service.repo.invites()})
        query = request.query_string
        charts: list[str] = []
        for topic, name in self._topics:
            charts += [f"{PREFIX}/report/levels/{topic}.png?{query}", name]
        lines = report.lines(self._topic_ids())
        body = pages.report_body(lines, query, charts, organisations, chosen)
        return self._page("Programme report", body, viewer)

    async def report_csv(self, request: web.Request) -> web.Response:
        """The programme report as CSV."""
        await self._admin(request)
        report, _ = await self._build(request)
        return _csv(report_csv(report, self._topic_ids()), "programme-report.csv")

    async def report_chart(self, request: web.Request) -> web.Response:
        """One topic's level distribution as a chart."""
        await self._admin(request)
        report, _ = await self._build(request)
        topic = request.match_info["topic"]
        name = dict(self._topics).get(topic)
        if name is None:
            raise web.HTTPNotFound(text="No such topic.")
        return web.Response(body=level_chart(report, topic, name), content_type="image/png")

    # helpers

    def _gate_engine(self) -> AsyncEngine:
        return self._service.repo.engine

    def _topic_ids(self) -> list[str]:
        return [topic for topic, _ in self._topics]

    async def _admin(self, request: web.Request) -> Viewer:
        viewer = await self._gate.viewer(request)
        if viewer.worker_id is not None:
            raise web.HTTPForbidden(text="Only admins can see this.")
        return viewer

    async def _worker_of(self, viewer: Viewer) -> Worker:
        return Worker(viewer.worker_id or "admin", viewer.name, None)

    async def _invite(self, request: web.Request, viewer: Viewer) -> Invite:
        invite = await self._service.repo.invite(request.match_info["code"])
        if invite is None or viewer.worker_id not in (None, invite.worker_id):
            raise web.HTTPNotFound(text="No such invite.")
        return invite

    def _new_invite(self, fields: dict[str, str]) -> NewInvite:
        language = fields.get("language") or None
        if language is not None and language not in self._catalogs.languages:
            raise ValueError("Please choose a language from the list.")
        expires = _day(fields.get("expires", ""))
        uses = fields.get("max_uses", "").strip()
        if uses and not uses.isdigit():
            raise ValueError("The use limit must be a whole number.")
        return NewInvite(
            fields.get("organisation", ""),
            fields.get("campaign", ""),
            language,
            expires + timedelta(days=1) if expires else None,
            int(uses) if uses else None,
        )

    async def _build(self, request: web.Request) -> tuple[Report, dict[str, str]]:
        today = self._clock().date()
        chosen = {k: request.query.get(k, "") for k in ("from", "to", "org")}
        midnight = datetime.combine(today, time(), UTC)
        start = _day(chosen["from"]) or midnight - timedelta(days=365)
        end = _day(chosen["to"]) or midnight + timedelta(days=1)
        report = await build_report(
            self._gate_engine(), self._service.repo, start, end, chosen["org"] or None
        )
        return report, chosen

    def _login_page(self, problem: str = "", status: int = 200) -> web.Response:
        session, cookie = self._gate.signer.issue(None)
        nonce = secrets.token_urlsafe(16)
        body = pages.login_body(self._gate.signer.csrf(session), problem)
        page = layout(self._english, "Outreach", nonce, body).replace(CASES_LINK, OUR_LINK, 1)
        response = _html(page, nonce, status if problem else 200)
        self._gate.set_cookie(response, session, cookie)
        return response

    def _page(self, title: str, body: str, viewer: Viewer, status: int = 200) -> web.Response:
        nonce = secrets.token_urlsafe(16)
        out = pages.form_logout(viewer.csrf)
        who = f'<span class="who">👤 {text(viewer.name)}</span>{out}'
        style = f'<style nonce="{nonce}">{EXTRA_STYLE}</style>'
        page = layout(self._english, title, nonce, style + body, who)
        page = page.replace(CASES_LINK, OUR_LINK, 1)
        return _html(page, nonce, status)


def _day(value: str) -> datetime | None:
    try:
        return datetime.combine(date.fromisoformat(value.strip()), time(), UTC)
    except ValueError:
        return None


def _csv(content: str, filename: str) -> web.Response:
    headers = {
        "Content-Disposition": f'attachment; filename="{filename}"',
        "Cache-Control": "no-store",
    }
    return web.Response(text=content, content_type="text/csv", charset="utf-8", headers=headers)


def _html(body: str, nonce: str, status: int = 200) -> web.Response:
    policy = (
        f"default-src 'none'; style-src 'nonce-{nonce}'; img-src 'self'; "
        "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
    )
    headers = {
        "Content-Security-Policy": policy,
        "X-Frame-Options": "DENY",
        "X-Robots-Tag": "noindex",
        "Referrer-Policy": "same-origin",
        "Cache-Control": "no-store",
        "X-Content-Type-Options": "nosniff",
    }
    return web.Response(
        text=body, status=status, content_type="text/html", charset="utf-8", headers=headers
    )
