"""The counsellor web console at /counsellor: login, the queue, one case and what to do with it."""

from __future__ import annotations

import secrets
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

from aiohttp import web

from bot.config import Config
from bot.counsel.console import dead_letters
from bot.counsel.console.dead_letters import DeadLetters
from bot.counsel.console.pages import (
    REPLY_LIMIT,
    CaseView,
    Viewer,
    case_body,
    login_body,
    queue_body,
)
from bot.counsel.console.sessions import (
    SIGNED_IN_SECONDS,
    ConsoleSession,
    LoginThrottle,
    SessionSigner,
    origin_allowed,
)
from bot.counsel.console.templates import layout, notice, text
from bot.counsel.model import counsellor_id
from bot.counsel.service import Case, CaseConflict, CaseService, Counsellor, NotAllowed
from bot.dialogs.content import Content
from bot.framework.session import SessionKey

PREFIX = "/counsellor"
NOTE_LIMIT = 2000
DONE = {
    "claimed": "You have this case now. The person was told that a counsellor is here.",
    "released": "The case is back in the queue.",
    "closed": "The case is closed.",
    "replied": "Sent to the person.",
    "waiting": "Saved: waiting for the person. They are not in the chat now and get it when "
    "they come back.",
    "validated": "Level confirmed. The person gets the badge in the chat.",
    "rejected": "Noted: no level confirmed this time.",
}
Action = Callable[[Case, Counsellor, dict[str, str]], Awaitable[str]]
VoiceNotes = Callable[[SessionKey, str], Awaitable[tuple[str, bytes] | None]]
"""A person's kept voice note by its file reference: (MIME type, bytes), or None."""


def _utcnow() -> datetime:
    return datetime.now(UTC)


class Console:
    """The console's handlers over a `CaseService`; sessions live in signed cookies."""

    def __init__(
        self,
        cases: CaseService,
        content: Content,
        signer: SessionSigner,
        public_url: str,
        *,
        clock: Callable[[], datetime] = _utcnow,
        throttle: LoginThrottle | None = None,
        present: Callable[[SessionKey], bool] = lambda _key: True,
        dead_letters: DeadLetters | None = None,
        voices: VoiceNotes | None = None,
    ) -> None:
        self._cases, self._content, self._signer = cases, content, signer
        self._present = present  # is the person connected now (a web chat tab may be closed)
        self._dead_letters = dead_letters  # the store's set-aside messages, for admins
        self._voices = voices  # kept voice notes (WhatsApp), played on a case page
        self._public_url, self._clock = public_url, clock
        self._throttle = throttle or LoginThrottle()  # per name
        self._address_throttle = LoginThrottle(limit=30)  # per address: a shared office, a NAT
        secure = urlsplit(public_url).scheme == "https"
        self._secure = secure
        self._cookie = "__Host-counsellor" if secure else "counsellor"
        self._actions: dict[str, Action] = {
            "claim": self._claim,
            "release": self._release,
            "close": self._close,
            "reply": self._reply,
            "validate": self._validate,
            "reject": self._reject,
        }

    def routes(self) -> list[web.RouteDef]:
        """The console's routes, all under /counsellor."""
        actions = "|".join(self._actions)
        return [
            web.get(PREFIX, self.queue),
            web.get(f"{PREFIX}/login", self.login_form),
            web.get(dead_letters.PATH, self.set_aside),
            web.post(f"{PREFIX}/login", self.login),
            web.post(f"{PREFIX}/logout", self.logout),
            web.get(PREFIX + r"/cases/{case_id:\d{1,12}}", self.case),
            web.get(PREFIX + r"/cases/{case_id:\d{1,12}}/voice/{n:\d{1,6}}", self.voice),
            web.post(PREFIX + r"/cases/{case_id:\d{1,12}}/{action:" + actions + "}", self.act),
        ]

    # pages

    async def queue(self, request: web.Request) -> web.Response:
        """The open and claimed cases, oldest first."""
        session, counsellor = await self._signed_in(request)
        cases = await self._cases.queue()
        names = await self._names()
        viewer = Viewer(counsellor.id, self._signer.csrf(session))
        body = queue_body(cases, viewer, names, self._clock())
        if counsellor.is_admin and self._dead_letters is not None:
            body = dead_letters.banner(await self._dead_letters()) + body
        done = DONE.get(request.query.get("done", ""), "")
        return self._page("Cases", (notice(done) if done else "") + body, session, counsellor)

    async def set_aside(self, request: web.Request) -> web.Response:
        """Admins: messages the sender gave up on, counted per channel and error."""
        session, counsellor = await self._signed_in(request)
        if not counsellor.is_admin:
            raise self._forbidden("Only an admin can see this page.")
        rows = await self._dead_letters() if self._dead_letters is not None else []
        return self._page("Messages set aside", dead_letters.body(rows), session, counsellor)

    async def case(self, request: web.Request) -> web.Response:
        """One case, everything the counsellor needs to decide."""
        session, counsellor = await self._signed_in(request)
        case = await self._case(request)
        message = DONE.get(request.query.get("done", ""), "")
        return await self._case_page(case, session, counsellor, message)

    async def voice(self, request: web.Request) -> web.Response:
        """The n-th line of a case's conversation, a voice note, as audio (signed in only)."""
        await self._signed_in(request)
        case = await self._case(request)
        said = await self._cases.transcript(case.id)
        n = int(request.match_info["n"])
        line = said[n] if n < len(said) else None
        found = None
        if line is not None and line.kind == "voice" and self._voices is not None:
            found = await self._voices(case.key, line.file_ref)
        if found is None:
            raise web.HTTPNotFound(text="There is no such voice note.")
        headers = {"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"}
        return web.Response(body=found[1], content_type=found[0].split(";")[0], headers=headers)

    async def login_form(self, request: web.Request) -> web.Response:
        """The login form, with a fresh anonymous session for its CSRF token."""
        session = self._read(request)
        if session is not None and session.counsellor_id:
            raise web.HTTPSeeOther(PREFIX)
        return self._login_page(session)

    # posts

    async def login(self, request: web.Request) -> web.Response:
        """Check the form token, the throttle, then the name and password."""
        fields = await self._form(request)
        session = self._read(request)
        if session is None or not self._signer.csrf_ok(session, fields.get("csrf")):
            return self._login_page(None, "This form was too old. Please try again.", 403)
        name = fields.get("name", "").strip()[:200]
        who, where = [counsellor_id(name)], [request.remote or "?"]
        if not (self._throttle.allowed(who) and self._address_throttle.allowed(where)):
            problem = "Too many wrong tries. Please wait 15 minutes and try again."
            return self._login_page(session, problem, 429, name)
        counsellor = await self._cases.authenticate(name, fields.get("password", ""))
        if counsellor is None:
            self._throttle.failed(who)
            self._address_throttle.failed(where)
            return self._login_page(session, "The name or the password is wrong.", 401, name)
        self._throttle.succeeded(who[0])
        signed_in, cookie = self._signer.issue(counsellor.id)
        expires = datetime.fromtimestamp(signed_in.expires, UTC)
        issued = expires - timedelta(seconds=SIGNED_IN_SECONDS)
        await self._cases.start_session(signed_in.sid, counsellor, expires, issued)
        response = web.HTTPSeeOther(PREFIX)
        self._set_cookie(response, signed_in, cookie)
        raise response

    async def logout(self, request: web.Request) -> web.Response:
        """End the session here and in the browser."""
        session, _ = await self._posted(request)
        await self._cases.end_session(session.sid)
        raise self._to_login(forget=True)

    async def act(self, request: web.Request) -> web.Response:
        """Claim, release, close, reply, validate or reject; then back to the page (PRG)."""
        session, fields = await self._posted(request)
        counsellor = await self._counsellor_of(session)
        case = await self._case(request)
        action = self._actions[request.match_info["action"]]
        try:
            done = await action(case, counsellor, fields)
        except CaseConflict:
            fresh = await self._cases.get(case.id) or case
            taken = await self._taken(fresh)
            return await self._case_page(fresh, session, counsellor, taken, 409)
        except NotAllowed:
            fresh = await self._cases.get(case.id) or case
            problem = await self._not_yours(fresh)
            return await self._case_page(fresh, session, counsellor, problem, 403)
        except ValueError as error:
            return await self._case_page(case, session, counsellor, str(error), 400)
        target = PREFIX if done in ("released", "closed") else f"{PREFIX}/cases/{case.id}"
        raise web.HTTPSeeOther(f"{target}?done={done}")

    async def _claim(self, case: Case, counsellor: Counsellor, fields: dict[str, str]) -> str:
        await self._cases.claim(case.id, counsellor)
        return "claimed"

    async def _release(self, case: Case, counsellor: Counsellor, fields: dict[str, str]) -> str:
        await self._cases.release(case.id, counsellor)
        return "released"

    async def _close(self, case: Case, counsellor: Counsellor, fields: dict[str, str]) -> str:
        await self._cases.close(case.id, counsellor)
        return "closed"

    async def _reply(self, case: Case, counsellor: Counsellor, fields: dict[str, str]) -> str:
        message = fields.get("text", "").strip()
        if not message or len(message) > REPLY_LIMIT:
            raise ValueError(f"Please write a message of 1 to {REPLY_LIMIT} characters.")
        await self._cases.reply(case.id, counsellor, message)
        return "replied" if self._present(case.key) else "waiting"

    async def _validate(self, case: Case, counsellor: Counsellor, fields: dict[str, str]) -> str:
        category, level = fields.get("category", ""), fields.get("level", "")
        known = {c.id for c in self._content.categories}
        levels = {str(lv.level) for lv in self._content.levels}
        if category not in known or level not in levels:
            raise ValueError("Please choose a topic and a level.")
        await self._cases.validate(case.id, counsellor, category, int(level), _note(fields))
        return "validated"

    async def _reject(self, case: Case, counsellor: Counsellor, fields: dict[str, str]) -> str:
        await self._cases.reject(case.id, counsellor, _note(fields))
        return "rejected"

    # helpers

    def _read(self, request: web.Request) -> ConsoleSession | None:
        return self._signer.read(request.cookies.get(self._cookie))

    async def _signed_in(self, request: web.Request) -> tuple[ConsoleSession, Counsellor]:
        session = self._read(request)
        if session is None or not session.counsellor_id:
            raise self._to_login()
        return session, await self._counsellor_of(session)

    async def _counsellor_of(self, session: ConsoleSession) -> Counsellor:
        team = await self._team()
        counsellor = team.get(session.counsellor_id or "")
        # Logged out, given a new password or taken off the list since (on any worker).
        if counsellor is None or not await self._cases.session_live(session.sid, counsellor.id):
            raise self._to_login(forget=True)
        return counsellor

    async def _team(self) -> dict[str, Counsellor]:
        return {c.id: c for c in await self._cases.counsellors()}

    async def _posted(self, request: web.Request) -> tuple[ConsoleSession, dict[str, str]]:
        """A signed-in session whose form token and Origin check out, and the form; else 403."""
        fields = await self._form(request)
        session = self._read(request)
        if session is None or not session.counsellor_id:
            raise self._to_login()
        if not self._signer.csrf_ok(session, fields.get("csrf")):
            raise self._forbidden("This form was too old or came from elsewhere. Nothing changed.")
        return session, fields

    async def _form(self, request: web.Request) -> dict[str, str]:
        host = request.host
        if not origin_allowed(request.headers.get("Origin"), host, self._public_url):
            raise self._forbidden("This form came from another site. Nothing changed.")
        posted = await request.post()
        return {k: v for k, v in posted.items() if isinstance(v, str)}

    async def _case(self, request: web.Request) -> Case:
        case = await self._cases.get(int(request.match_info["case_id"]))
        if case is None:
            raise web.HTTPNotFound(text="No such case.")
        return case

    async def _names(self) -> dict[str, str]:
        return {c.id: c.name for c in (await self._team()).values()}

    async def _not_yours(self, case: Case) -> str:
        if case.status == "closed":
            return "This case is closed. Nothing changed."
        if case.status == "claimed":
            return await self._taken(case)
        return "Only the counsellor who has this case can do that. Take the case first."

    async def _taken(self, case: Case) -> str:
        if case.claimed_by is None or case.status == "closed":
            return "Somebody changed this case just now. Please look again."
        name = (await self._names()).get(case.claimed_by, case.claimed_by)
        return f"Already taken by {name}. You can still read the case."

    async def _case_page(
        self,
        case: Case,
        session: ConsoleSession,
        counsellor: Counsellor,
        message: str = "",
        status: int = 200,
    ) -> web.Response:
        transcript = await self._cases.transcript(case.id)
        answers = await self._cases.answers(case.id)
        names = await self._names()
        history = await self._cases.audit(case.id)
        view = CaseView(case, transcript, answers, names, self._clock(), history)
        viewer = Viewer(counsellor.id, self._signer.csrf(session))
        body = case_body(view, viewer, self._content, message)
        return self._page(f"Case {case.id}", body, session, counsellor, status)

    def _login_page(
        self, session: ConsoleSession | None, problem: str = "", status: int = 200, name: str = ""
    ) -> web.Response:
        fresh = session is None or bool(session.counsellor_id)
        if fresh:
            session, cookie = self._signer.issue(None)
        assert session is not None
        nonce = secrets.token_urlsafe(16)
        body = login_body(self._signer.csrf(session), problem, name)
        response = _html(layout("Log in", nonce, body), nonce, status)
        if fresh:
            self._set_cookie(response, session, cookie)
        return response

    def _page(
        self,
        title: str,
        body: str,
        session: ConsoleSession,
        counsellor: Counsellor,
        status: int = 200,
    ) -> web.Response:
        nonce = secrets.token_urlsafe(16)
        out = _logout_form(self._signer.csrf(session))
        who = f'<span class="who">👤 {text(counsellor.name)}</span>{out}'
        return _html(layout(title, nonce, body, who), nonce, status)

    def _to_login(self, forget: bool = False) -> web.HTTPSeeOther:
        """Back to the login form; `forget` clears the browser's session cookie too."""
        response = web.HTTPSeeOther(f"{PREFIX}/login")
        if forget:
            response.del_cookie(
                self._cookie, path="/", secure=self._secure, httponly=True, samesite="Strict"
            )
        return response

    def _forbidden(self, message: str) -> web.HTTPForbidden:
        nonce = secrets.token_urlsafe(16)
        body = "<h1>Not done</h1>" + notice(message, bad=True)
        body += f'<p><a href="{PREFIX}">Back to the cases</a></p>'
        page = _html(layout("Not done", nonce, body), nonce, 403)
        return web.HTTPForbidden(text=page.text, content_type="text/html", headers=_headers(nonce))

    def _set_cookie(
        self, response: web.StreamResponse, session: ConsoleSession, value: str
    ) -> None:
        response.set_cookie(
            self._cookie,
            value,
            max_age=max(0, session.expires - int(self._clock().timestamp())),
            path="/",
            secure=self._secure,
            httponly=True,
            samesite="Strict",
        )


def _note(fields: dict[str, str]) -> str:
    note = fields.get("note", "").strip()
    if len(note) > NOTE_LIMIT:
        raise ValueError(f"Please keep the note under {NOTE_LIMIT} characters.")
    return note


def _logout_form(csrf: str) -> str:
    return (
        f'<form method="post" action="{PREFIX}/logout">'
        f'<input type="hidden" name="csrf" value="{text(csrf)}"><button>Log out</button></form>'
    )


def _headers(nonce: str) -> dict[str, str]:
    policy = (
        f"default-src 'none'; style-src 'nonce-{nonce}'; img-src 'self'; media-src 'self'; "
        "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
    )
    return {
        "Content-Security-Policy": policy,
        "X-Frame-Options": "DENY",
        "X-Robots-Tag": "noindex",
        "Referrer-Policy": "same-origin",
        "Cache-Control": "no-store",
        "X-Content-Type-Options": "nosniff",
    }


def _html(body: str, nonce: str, status: int = 200) -> web.Response:
    return web.Response(
        text=body,
        status=status,
        content_type="text/html",
        charset="utf-8",
        headers=_headers(nonce),
    )


def console_routes(
    cases: CaseService,
    content: Content,
    config: Config,
    session_key: bytes,
    clock: Callable[[], datetime] = _utcnow,
    set_aside: DeadLetters | None = None,
    *,
    present: Callable[[SessionKey], bool] = lambda _key: True,
    voices: VoiceNotes | None = None,
) -> list[web.RouteDef]:
    """The console's routes, for ``app.router.add_routes`` in the composition root.

    `session_key` comes from the data directory (`load_or_create_key`), so every worker
    sharing it accepts the cookie. `set_aside` is the store's dead-letter summary; `present`
    tells whether a person is connected, so a reply says it waits for them.
    """
    signer = SessionSigner(session_key)
    console = Console(
        cases,
        content,
        signer,
        config.public_url,
        clock=clock,
        dead_letters=set_aside,
        present=present,
        voices=voices,
    )
    return console.routes()
