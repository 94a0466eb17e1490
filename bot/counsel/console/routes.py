"""The counsellor web console at /counsellor: login, the queue, one case and what to do with it."""

from __future__ import annotations

import secrets
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

from aiohttp import web

from bot.config import DEFAULT_LOCALES, Config
from bot.counsel.console import dead_letters, language
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
)
from bot.counsel.console.templates import layout, notice, text
from bot.counsel.model import Invalid, Told, counsellor_id
from bot.counsel.service import Case, CaseConflict, CaseService, Counsellor, NotAllowed
from bot.dialogs.content import Content
from bot.framework.i18n import Catalogs, Translator, gettext
from bot.framework.session import SessionKey
from bot.host.origins import origin_allowed

PREFIX = "/counsellor"
NOTE_LIMIT = 2000
DONE = {
    "claimed": gettext("You have this case now. The person was told that a counsellor is here."),
    "released": gettext("The case is back in the queue."),
    "closed": gettext("The case is closed."),
    "replied": gettext("Sent to the person."),
    "waiting": gettext(
        "Saved: waiting for the person. They are not in the chat now and get it when "
        "they come back."
    ),
    "validated": gettext("Level confirmed. The person gets the badge in the chat."),
    "rejected": gettext("Noted: no level confirmed this time."),
    "language": gettext("The console speaks your language now."),
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
        catalogs: Catalogs | None = None,
    ) -> None:
        self._cases, self._content, self._signer = cases, content, signer
        self._catalogs = catalogs or Catalogs(DEFAULT_LOCALES, content.source_language)
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
            web.post(language.PATH, self.choose_language),
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
        t = self._t(counsellor)
        viewer = Viewer(counsellor.id, self._signer.csrf(session), t)
        body = queue_body(cases, viewer, names, self._clock())
        if counsellor.is_admin and self._dead_letters is not None:
            body = dead_letters.banner(t, await self._dead_letters()) + body
        done = _done(t, request)
        page = (notice(done) if done else "") + body
        return self._page(t.gettext("Cases"), page, session, counsellor)

    async def set_aside(self, request: web.Request) -> web.Response:
        """Admins: messages the sender gave up on, counted per channel and error."""
        session, counsellor = await self._signed_in(request)
        t = self._t(counsellor)
        if not counsellor.is_admin:
            raise self._forbidden(t, gettext("Only an admin can see this page."))
        rows = await self._dead_letters() if self._dead_letters is not None else []
        title = t.gettext("Messages set aside")
        return self._page(title, dead_letters.body(t, rows), session, counsellor)

    async def case(self, request: web.Request) -> web.Response:
        """One case, everything the counsellor needs to decide."""
        session, counsellor = await self._signed_in(request)
        case = await self._case(request, self._t(counsellor))
        message = _done(self._t(counsellor), request)
        return await self._case_page(case, session, counsellor, message)

    async def voice(self, request: web.Request) -> web.Response:
        """The n-th line of a case's conversation, a voice note, as audio (signed in only)."""
        _, counsellor = await self._signed_in(request)
        case = await self._case(request, self._t(counsellor))
        said = await self._cases.transcript(case.id)
        n = int(request.match_info["n"])
        line = said[n] if n < len(said) else None
        found = None
        if line is not None and line.kind == "voice" and self._voices is not None:
            found = await self._voices(case.key, line.file_ref)
        if found is None:
            raise web.HTTPNotFound(
                text=self._t(counsellor).gettext("There is no such voice note.")
            )
        headers = {"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"}
        return web.Response(body=found[1], content_type=found[0].split(";")[0], headers=headers)

    async def login_form(self, request: web.Request) -> web.Response:
        """The login form, with a fresh anonymous session for its CSRF token."""
        session = self._read(request)
        if session is not None and session.counsellor_id:
            raise web.HTTPSeeOther(PREFIX)
        return self._login_page(request, session)

    # posts

    async def login(self, request: web.Request) -> web.Response:
        """Check the form token, the throttle, then the name and password."""
        fields = await self._form(request)
        session = self._read(request)
        if session is None or not self._signer.csrf_ok(session, fields.get("csrf")):
            problem = gettext("This form was too old. Please try again.")
            return self._login_page(request, None, problem, 403)
        name = fields.get("name", "").strip()[:200]
        who, where = [counsellor_id(name)], [request.remote or "?"]
        if not (self._throttle.allowed(who) and self._address_throttle.allowed(where)):
            problem = gettext("Too many wrong tries. Please wait 15 minutes and try again.")
            return self._login_page(request, session, problem, 429, name)
        counsellor = await self._cases.authenticate(name, fields.get("password", ""))
        if counsellor is None:
            self._throttle.failed(who)
            self._address_throttle.failed(where)
            problem = gettext("The name or the password is wrong.")
            return self._login_page(request, session, problem, 401, name)
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

    async def choose_language(self, request: web.Request) -> web.Response:
        """Store the counsellor's language, then show the cases in it (PRG)."""
        session, fields = await self._posted(request)
        counsellor = await self._counsellor_of(session)
        chosen = fields.get("language", "")
        if chosen not in self._catalogs.languages:
            raise self._forbidden(self._t(counsellor), gettext("Please choose a language."))
        await self._cases.set_language(counsellor, chosen)
        raise web.HTTPSeeOther(f"{PREFIX}?done=language")

    async def act(self, request: web.Request) -> web.Response:
        """Claim, release, close, reply, validate or reject; then back to the page (PRG)."""
        session, fields = await self._posted(request)
        counsellor = await self._counsellor_of(session)
        t = self._t(counsellor)
        case = await self._case(request, t)
        action = self._actions[request.match_info["action"]]
        try:
            done = await action(case, counsellor, fields)
        except CaseConflict:
            fresh = await self._cases.get(case.id) or case
            taken = await self._taken(t, fresh)
            return await self._case_page(fresh, session, counsellor, taken, 409)
        except NotAllowed:
            fresh = await self._cases.get(case.id) or case
            problem = await self._not_yours(t, fresh)
            return await self._case_page(fresh, session, counsellor, problem, 403)
        except ValueError as error:
            said = error.said(t) if isinstance(error, Told) else str(error)
            return await self._case_page(case, session, counsellor, said, 400)
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
            said = gettext("Please write a message of 1 to {count} characters.")
            raise Invalid(said, count=REPLY_LIMIT)
        await self._cases.reply(case.id, counsellor, message)
        return "replied" if self._present(case.key) else "waiting"

    async def _validate(self, case: Case, counsellor: Counsellor, fields: dict[str, str]) -> str:
        category, level = fields.get("category", ""), fields.get("level", "")
        known = {c.id for c in self._content.categories}
        levels = {str(lv.level) for lv in self._content.levels}
        if category not in known or level not in levels:
            raise Invalid(gettext("Please choose a topic and a level."))
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
            said = gettext("This form was too old or came from elsewhere. Nothing changed.")
            raise self._forbidden(await self._reader(request), said)
        return session, fields

    async def _form(self, request: web.Request) -> dict[str, str]:
        host = request.host
        if not origin_allowed(request.headers.get("Origin"), host, self._public_url):
            said = gettext("This form came from another site. Nothing changed.")
            raise self._forbidden(await self._reader(request), said)
        posted = await request.post()
        return {k: v for k, v in posted.items() if isinstance(v, str)}

    async def _case(self, request: web.Request, t: Translator) -> Case:
        case = await self._cases.get(int(request.match_info["case_id"]))
        if case is None:
            raise web.HTTPNotFound(text=t.gettext("No such case."))
        return case

    def _t(self, counsellor: Counsellor) -> Translator:
        return self._catalogs.get(counsellor.language)

    async def _reader(self, request: web.Request) -> Translator:
        """The language of whoever sent a request: the counsellor's, else the browser's."""
        session = self._read(request)
        if session is not None and session.counsellor_id:
            counsellor = (await self._team()).get(session.counsellor_id)
            if counsellor is not None:
                return self._t(counsellor)
        return language.from_header(request.headers.get("Accept-Language"), self._catalogs)

    async def _names(self) -> dict[str, str]:
        return {c.id: c.name for c in (await self._team()).values()}

    async def _not_yours(self, t: Translator, case: Case) -> str:
        if case.status == "closed":
            return t.gettext("This case is closed. Nothing changed.")
        if case.status == "claimed":
            return await self._taken(t, case)
        return t.gettext("Only the counsellor who has this case can do that. Take the case first.")

    async def _taken(self, t: Translator, case: Case) -> str:
        if case.claimed_by is None or case.status == "closed":
            return t.gettext("Somebody changed this case just now. Please look again.")
        name = (await self._names()).get(case.claimed_by, case.claimed_by)
        return t.gettext("Already taken by {name}. You can still read the case.").format(name=name)

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
        t = self._t(counsellor)
        viewer = Viewer(counsellor.id, self._signer.csrf(session), t)
        body = case_body(view, viewer, self._content, message)
        title = t.gettext("Case {number}").format(number=case.id)
        return self._page(title, body, session, counsellor, status)

    def _login_page(
        self,
        request: web.Request,
        session: ConsoleSession | None,
        problem: str = "",
        status: int = 200,
        name: str = "",
    ) -> web.Response:
        """The login form in the browser's language; `problem` is an untranslated message."""
        t = language.from_header(request.headers.get("Accept-Language"), self._catalogs)
        fresh = session is None or bool(session.counsellor_id)
        if fresh:
            session, cookie = self._signer.issue(None)
        assert session is not None
        nonce = secrets.token_urlsafe(16)
        said = t.gettext(problem) if problem else ""
        body = login_body(t, self._signer.csrf(session), said, name)
        response = _html(layout(t, t.gettext("Log in"), nonce, body), nonce, status)
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
        nonce, t, csrf = secrets.token_urlsafe(16), self._t(counsellor), self._signer.csrf(session)
        who = f'<span class="who">👤 {text(counsellor.name)}</span>{_logout_form(t, csrf)}'
        foot = language.picker(t, self._catalogs, csrf)
        return _html(layout(t, title, nonce, body, who, foot), nonce, status)

    def _to_login(self, forget: bool = False) -> web.HTTPSeeOther:
        """Back to the login form; `forget` clears the browser's session cookie too."""
        response = web.HTTPSeeOther(f"{PREFIX}/login")
        if forget:
            response.del_cookie(
                self._cookie, path="/", secure=self._secure, httponly=True, samesite="Strict"
            )
        return response

    def _forbidden(self, t: Translator, message: str) -> web.HTTPForbidden:
        """A 403 page in `t`'s language; `message` is untranslated."""
        nonce, title = secrets.token_urlsafe(16), t.gettext("Not done")
        body = f"<h1>{text(title)}</h1>" + notice(t.gettext(message), bad=True)
        back = t.gettext("Back to the cases")
        body += f'<p><a href="{PREFIX}">{text(back)}</a></p>'
        page = _html(layout(t, title, nonce, body), nonce, 403)
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
        said = gettext("Please keep the note under {count} characters.")
        raise Invalid(said, count=NOTE_LIMIT)
    return note


def _done(t: Translator, request: web.Request) -> str:
    """The notice for a finished action (`?done=claimed`), in the counsellor's language."""
    done = DONE.get(request.query.get("done", ""), "")
    return t.gettext(done) if done else ""


def _logout_form(t: Translator, csrf: str) -> str:
    return (
        f'<form method="post" action="{PREFIX}/logout">'
        f'<input type="hidden" name="csrf" value="{text(csrf)}">'
        "<button>" + text(t.gettext("Log out")) + "</button></form>"
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
        catalogs=Catalogs(config.locales_dir, content.source_language),
    )
    return console.routes()
