"""Who is at the outreach pages: a worker (own login) or an admin counsellor (console login)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

from aiohttp import web

from bot.counsel.console.sessions import (
    SIGNED_IN_SECONDS,
    ConsoleSession,
    LoginThrottle,
    SessionSigner,
)
from bot.counsel.model import counsellor_id
from bot.counsel.storage.people import SqlCounsellors
from bot.host.origins import origin_allowed
from bot.outreach.service import OutreachService

PREFIX = "/counsellor/outreach"
WORKER = "outreach:"  # a worker's session subject; the cases console knows no such counsellor


@dataclass(frozen=True)
class Viewer:
    """The signed-in person: `worker_id` set for a worker, None for an admin (who sees all)."""

    name: str
    worker_id: str | None
    session: ConsoleSession
    csrf: str


class Gatekeeper:
    """Reads and issues the console's signed cookie; checks the session is still live."""

    def __init__(
        self,
        signer: SessionSigner,
        counsellors: SqlCounsellors,
        service: OutreachService,
        public_url: str,
        clock: Callable[[], datetime],
    ) -> None:
        self.signer, self._counsellors, self._service = signer, counsellors, service
        self._public_url, self._clock = public_url, clock
        self.secure = urlsplit(public_url).scheme == "https"
        self.cookie = "__Host-counsellor" if self.secure else "counsellor"
        self.throttle = LoginThrottle()
        self.address_throttle = LoginThrottle(limit=30)

    def read(self, request: web.Request) -> ConsoleSession | None:
        """The cookie's session, if any and signed by us."""
        return self.signer.read(request.cookies.get(self.cookie))

    async def viewer(self, request: web.Request) -> Viewer:
        """The signed-in worker or admin; anyone else goes to the login form."""
        session = self.read(request)
        subject = session.counsellor_id if session else None
        if session is None or subject is None:
            raise web.HTTPSeeOther(f"{PREFIX}/login")
        name, worker_id = await self._who(subject)
        if name is None or not await self._counsellors.session_live(session.sid, subject):
            raise web.HTTPSeeOther(f"{PREFIX}/login")
        return Viewer(name, worker_id, session, self.signer.csrf(session))

    async def _who(self, subject: str) -> tuple[str | None, str | None]:
        if subject.startswith(WORKER):
            found = await self._service.repo.worker("id", subject[len(WORKER) :])
            return (found[0].name, found[0].id) if found else (None, None)
        row = await self._counsellors.find("id", subject)
        return (row.name, None) if row is not None and row.is_admin else (None, None)

    async def form(self, request: web.Request, viewer: Viewer | None) -> dict[str, str]:
        """A posted form whose Origin and CSRF token check out (against `viewer`'s session)."""
        if not origin_allowed(request.headers.get("Origin"), request.host, self._public_url):
            raise web.HTTPForbidden(text="This form came from another site. Nothing changed.")
        posted = await request.post()
        fields = {k: v for k, v in posted.items() if isinstance(v, str)}
        session = viewer.session if viewer else self.read(request)
        if session is None or not self.signer.csrf_ok(session, fields.get("csrf")):
            raise web.HTTPForbidden(text="This form was too old. Please go back and try again.")
        return fields

    async def log_in(self, request: web.Request, fields: dict[str, str]) -> str | None:
        """Check a worker's name and password (throttled); None or a problem to show."""
        name = fields.get("name", "").strip()[:200]
        who, where = [counsellor_id(name)], [request.remote or "?"]
        if not (self.throttle.allowed(who) and self.address_throttle.allowed(where)):
            return "Too many wrong tries. Please wait 15 minutes and try again."
        worker = await self._service.authenticate(name, fields.get("password", ""))
        if worker is None:
            self.throttle.failed(who)
            self.address_throttle.failed(where)
            return "The name or the password is wrong."
        self.throttle.succeeded(who[0])
        session, cookie = self.signer.issue(WORKER + worker.id)
        expires = datetime.fromtimestamp(session.expires, UTC)
        issued = expires - timedelta(seconds=SIGNED_IN_SECONDS)
        await self._counsellors.start_session(session.sid, WORKER + worker.id, expires, issued)
        response = web.HTTPSeeOther(PREFIX)
        self.set_cookie(response, session, cookie)
        raise response

    async def log_out(self, viewer: Viewer) -> None:
        """End the session on every worker process."""
        await self._counsellors.end_session(viewer.session.sid)

    def set_cookie(
        self, response: web.StreamResponse, session: ConsoleSession, value: str
    ) -> None:
        """The session cookie, as the cases console sets it."""
        response.set_cookie(
            self.cookie,
            value,
            max_age=max(0, session.expires - int(self._clock().timestamp())),
            path="/",
            secure=self.secure,
            httponly=True,
            samesite="Strict",
        )
