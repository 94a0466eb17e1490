"""The console's pages as safe HTML bodies: login, the queue, one case."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.counsel.console.templates import dl, form, notice, select, text, textarea
from bot.counsel.model import ASKED, Case, CaseMessage
from bot.counsel.wording import age, category_name, flag_list, flag_words, level_name, reason
from bot.dialogs.content import Content, Question, QuestionId
from bot.framework.i18n import Translator, gettext

SENDERS = {"person": gettext("Person"), "counsellor": gettext("Counsellor"), "bot": gettext("Bot")}
REPLY_LIMIT = 2000


@dataclass(frozen=True, slots=True)
class Viewer:
    """Who looks at a page: their counsellor id, their session's CSRF token, their language."""

    counsellor_id: str
    csrf: str
    t: Translator


def login_body(t: Translator, csrf: str, problem: str = "", name: str = "") -> str:
    """The login form (`problem` shown above it)."""
    yours, password, log_in = t.gettext("Your name"), t.gettext("Password"), t.gettext("Log in")
    fields = (
        f'<label for="name">{text(yours)}</label>'
        f'<input id="name" name="name" autocomplete="username" required value="{text(name)}">'
        f'<label for="password">{text(password)}</label>'
        '<input id="password" name="password" type="password" '
        'autocomplete="current-password" required>'
    )
    return (
        f"<h1>{text(log_in)}</h1>"
        + (notice(problem, bad=True) if problem else "")
        + "<section>"
        + form("/counsellor/login", csrf, fields, log_in)
        + "</section>"
    )


def holder_text(case: Case, viewer: Viewer, names: Mapping[str, str]) -> str:
    """Who holds a case, in plain words."""
    t = viewer.t
    if case.status == "closed":
        return "🏁 " + t.gettext("Closed") + (f": {case.outcome}" if case.outcome else "")
    if case.claimed_by is None:
        return "🔓 " + t.gettext("Free: nobody has it yet")
    if case.claimed_by == viewer.counsellor_id:
        return "✋ " + t.gettext("You have this case")
    name = names.get(case.claimed_by, case.claimed_by)
    return "🔒 " + t.gettext("Taken by {name}").format(name=name)


def queue_body(
    cases: Sequence[Case], viewer: Viewer, names: Mapping[str, str], now: datetime
) -> str:
    """The waiting and claimed cases: those whose person asked to talk first, then oldest."""
    t = viewer.t
    ordered = sorted(cases, key=queue_order)
    cases_title, refresh = t.gettext("Cases"), t.gettext("Refresh")
    head = f'<h1>{text(cases_title)}</h1><p><a href="/counsellor">↻ {text(refresh)}</a></p>'
    if not ordered:
        return head + notice(t.gettext("No cases are waiting.") + " 🎉")
    count = t.gettext("Cases: {count}, oldest first.").format(count=len(ordered))
    items = "".join(_queue_item(case, viewer, names, now) for case in ordered)
    return head + f"<p>{text(count)}</p>" + f'<ul class="cases">{items}</ul>'


def queue_order(case: Case) -> tuple[bool, datetime, datetime, int]:
    """Sort key: cases whose person asked to talk first (earliest ask first), then oldest."""
    return (case.asked_at is None, case.asked_at or case.created_at, case.created_at, case.id)


def _queue_item(case: Case, viewer: Viewer, names: Mapping[str, str], now: datetime) -> str:
    t = viewer.t
    flags = flag_words(t, case.summary)
    waiting = t.gettext("Waiting {time}").format(time=age(t, case.created_at, now))
    return (
        '<li class="card">'
        f'<p class="open"><a href="/counsellor/cases/{case.id}">'
        f"{text(_case_title(t, case))}</a></p>"
        f"<p>⏳ {text(waiting)} · 🗣️ {text(case.language or '?')}"
        f" · {text(reason(t, case.reason))}</p>"
        + (f'<p class="flags">⚠️ {text(flags)}</p>' if flags else "")
        + (f"<p>{text(asked_text(t, case.asked_at))}</p>" if case.asked_at else "")
        + f"<p>{text(holder_text(case, viewer, names))}</p></li>"
    )


def _case_title(t: Translator, case: Case) -> str:
    return t.gettext("Case {number}").format(number=case.id)


@dataclass(frozen=True, slots=True)
class CaseView:
    """Everything the case page shows."""

    case: Case
    messages: Sequence[CaseMessage]
    answers: Sequence[Mapping[str, Any]]
    names: Mapping[str, str]
    now: datetime
    history: Sequence[Mapping[str, Any]] = ()


def case_body(view: CaseView, viewer: Viewer, content: Content, message: str = "") -> str:
    """One case: who holds it, the actions, the summary, the answers and the conversation."""
    case, t = view.case, viewer.t
    parts = [
        f"<h1>{text(_case_title(t, case))}</h1>",
        notice(message) if message else "",
        f"<p><b>{text(holder_text(case, viewer, view.names))}</b></p>",
        _actions(case, viewer),
        _section(t.gettext("Summary"), _summary(view, t, content)),
        "<section><h2>" + text(t.gettext("Conversation")) + "</h2>",
        _transcript(t, view.messages),
        _reply(case, viewer) + "</section>",
        _decide(case, viewer, content),
        _section(t.gettext("Answers"), _answers(t, view.answers, content)),
        _history(t, view.history),
    ]
    return "".join(parts)


def _section(title: str, body: str) -> str:
    return f"<section><h2>{text(title)}</h2>{body}</section>"


def _path(case: Case, action: str) -> str:
    return f"/counsellor/cases/{case.id}/{action}"


def _actions(case: Case, viewer: Viewer) -> str:
    t = viewer.t
    if case.status == "closed":
        return ""
    if case.claimed_by != viewer.counsellor_id:
        take = "✋ " + t.gettext("Take this case")
        return '<div class="row">' + form(_path(case, "claim"), viewer.csrf, "", take) + "</div>"
    back = t.gettext("Give back to the queue")
    release = form(_path(case, "release"), viewer.csrf, "", back, "quiet")
    close = form(_path(case, "close"), viewer.csrf, "", t.gettext("Close the case"), "quiet")
    return f'<div class="row">{release}{close}</div>'


def _summary(view: CaseView, t: Translator, content: Content) -> str:
    case, summary = view.case, view.case.summary
    since = t.gettext("{time} (since {date} UTC)").format(
        time=age(t, case.created_at, view.now), date=f"{case.created_at:%Y-%m-%d %H:%M}"
    )
    rows = [
        (t.gettext("Why"), text(reason(t, case.reason))),
        (t.gettext("Waiting"), text(since)),
        (t.gettext("Language"), text(case.language or "?")),
    ]
    category = summary.get("category")
    if isinstance(category, str) and category:
        rows.append((t.gettext("Topic"), text(category_name(t, content, category))))
        level = level_name(t, content, summary.get("level"))
        rows.append((t.gettext("Level from answers"), text(level)))
    flags = flag_list(t, summary)
    if flags:
        items = "".join(f"<li>⚠️ {text(flag)}</li>" for flag in flags)
        rows.append((t.gettext("Flags"), f'<ul class="flags">{items}</ul>'))
    if summary.get("invite"):
        rows.append((t.gettext("Invite code"), text(summary["invite"])))
    return dl(rows) + _results(t, summary, content)


def _results(t: Translator, summary: Mapping[str, Any], content: Content) -> str:
    """Every finished topic: level from the answers, flags, and a level already confirmed."""
    results, validated = summary.get("results") or {}, summary.get("validated") or {}
    if not isinstance(results, Mapping) or not results:
        return ""
    items = "".join(
        f"<li><b>{text(category_name(t, content, str(category)))}</b>: "
        f"{text(level_name(t, content, result.get('level')))}"
        + (
            f' · <span class="flags">⚠️ {text(flag_words(t, result))}</span>'
            if flag_words(t, result)
            else ""
        )
        + (
            " · ✅ "
            + text(
                t.gettext("confirmed {level}").format(
                    level=level_name(t, content, validated[category])
                )
            )
            if category in validated
            else ""
        )
        + _progress(t, summary, content, str(category))
        + "</li>"
        for category, result in results.items()
        if isinstance(result, Mapping)
    )
    title = text(t.gettext("All finished topics"))
    return f'<h3>{title}</h3><ul class="plain">{items}</ul>'


def _progress(t: Translator, summary: Mapping[str, Any], content: Content, category: str) -> str:
    """Earlier levels of a topic (oldest first) and its practice ticks, next to the current one."""
    earlier, practised = summary.get("earlier") or {}, summary.get("practised") or {}
    levels = earlier.get(category) or [] if isinstance(earlier, Mapping) else []
    ticks = sum(
        int(count)
        for outcome, count in (practised.items() if isinstance(practised, Mapping) else [])
        if outcome in content.outcomes and content.outcomes[outcome].category == category
    )
    shown = " → ".join(level_name(t, content, level) for level in levels)
    before = t.gettext("before: {levels}").format(levels=shown)
    ticked = t.gettext("practised {count}×").format(count=ticks)
    return (f" · {text(before)}" if shown else "") + (f" · 👍 {text(ticked)}" if ticks else "")


ACTIONS = {
    "claim": gettext("took the case"),
    "release": gettext("gave the case back"),
    "close": gettext("closed the case"),
    "reply": gettext("wrote to the person"),
    "validate": gettext("confirmed a level"),
    "reject": gettext("did not confirm a level"),
}


def _history(t: Translator, entries: Sequence[Mapping[str, Any]]) -> str:
    """Who did what with the case, oldest first (from the audit log)."""
    if not entries:
        return ""
    items = "".join(
        f'<li><time datetime="{text(_iso(e.get("at")))}">{text(_hhmm(e.get("at")))}</time> · '
        f"{text(e.get('name', '?'))} {text(_did(t, e.get('action')))}</li>"
        for e in entries
    )
    return _section(t.gettext("History"), f'<ul class="plain">{items}</ul>')


def _did(t: Translator, action: object) -> str:
    known = isinstance(action, str) and action in ACTIONS
    return t.gettext(ACTIONS[str(action)]) if known else str(action)


def _iso(at: object) -> str:
    return at.isoformat() if isinstance(at, datetime) else ""


def _hhmm(at: object) -> str:
    return f"{at:%Y-%m-%d %H:%M}" if isinstance(at, datetime) else "?"


def asked_text(t: Translator, at: datetime) -> str:
    """🙋 Asked to talk, 14:02."""
    return "🙋 " + t.gettext("Asked to talk, {time}").format(time=f"{at:%H:%M}")


def _transcript(t: Translator, messages: Sequence[CaseMessage]) -> str:
    if not messages:
        return '<p class="muted">' + text(t.gettext("No messages yet.")) + "</p>"
    items = "".join(
        f'<li class="{text(m.sender)}"><span class="meta">{text(_sender(t, m.sender))}'
        f' · <time datetime="{m.at.isoformat()}">{m.at:%H:%M}</time></span>'
        f"{text(asked_text(t, m.at) if m.kind == ASKED else m.text)}{_voice(m, n)}</li>"
        for n, m in enumerate(messages)
    )
    return f'<ol class="chat">{items}</ol>'


def _voice(message: CaseMessage, n: int) -> str:
    """A player for a voice note (served by the console, signed in only)."""
    if message.kind != "voice" or not message.file_ref:
        return ""
    src = f"/counsellor/cases/{message.case_id}/voice/{n}"
    return f'<audio controls preload="none" src="{src}"></audio>'


def _sender(t: Translator, sender: str) -> str:
    return t.gettext(SENDERS[sender]) if sender in SENDERS else sender


def _reply(case: Case, viewer: Viewer) -> str:
    t = viewer.t
    if case.status == "closed":
        return ""
    if case.claimed_by != viewer.counsellor_id:
        take = t.gettext("Take the case to write to the person.")
        return f'<p class="muted">{text(take)}</p>'
    label = t.gettext("Your message to the person (short and simple)")
    box = textarea("text", label, "reply-text", True, REPLY_LIMIT)
    return form(_path(case, "reply"), viewer.csrf, box, t.gettext("Send"))


def _decide(case: Case, viewer: Viewer, content: Content) -> str:
    t = viewer.t
    if case.status == "closed" or case.claimed_by != viewer.counsellor_id:
        return ""
    chosen = str(case.summary.get("category") or "")
    categories = [(c.id, category_name(t, content, c.id)) for c in content.categories]
    levels = [(str(lv.level), level_name(t, content, lv.level)) for lv in content.levels]
    level = case.summary.get("level")
    note = t.gettext("A short note for the person (they will read it)")
    fields = (
        select("category", t.gettext("Topic"), categories, chosen)
        + select("level", t.gettext("Level"), levels, str(level) if isinstance(level, int) else "")
        + textarea("note", note, "validate-note")
    )
    give = "🏅 " + t.gettext("Confirm this level and give the badge")
    confirm = form(_path(case, "validate"), viewer.csrf, fields, give)
    kind = t.gettext("A short, kind note for the person (they will read it)")
    reject = form(
        _path(case, "reject"),
        viewer.csrf,
        textarea("note", kind, "reject-note"),
        t.gettext("Do not confirm a level"),
        "warn",
    )
    decide, other = text(t.gettext("Decide")), text(t.gettext("Or"))
    return f"<section><h2>{decide}</h2>{confirm}<h3>{other}</h3>{reject}</section>"


def _answers(t: Translator, answers: Sequence[Mapping[str, Any]], content: Content) -> str:
    if not answers:
        return '<p class="muted">' + text(t.gettext("No answers recorded.")) + "</p>"
    groups: dict[str, list[Mapping[str, Any]]] = {}
    for answer in answers:
        question = content.questions.get(QuestionId(str(answer.get("question_id"))))
        category = str(answer.get("category") or (question.category if question else "?"))
        groups.setdefault(category, []).append(answer)
    return "".join(
        f"<h3>{text(category_name(t, content, category))}</h3>" + _answer_list(t, rows, content)
        for category, rows in groups.items()
    )


def _answer_list(t: Translator, rows: Sequence[Mapping[str, Any]], content: Content) -> str:
    items = "".join(_answer_item(t, row, content) for row in rows)
    return f'<ol class="answers">{items}</ol>'


def _asked(t: Translator, question: Question) -> str:
    situation = t.pgettext(f"{question.id}.situation", question.situation)
    return f"{situation} {t.pgettext(f'{question.id}.question', question.question)}"


def _answer_item(t: Translator, row: Mapping[str, Any], content: Content) -> str:
    question = content.questions.get(QuestionId(str(row.get("question_id"))))
    asked = _asked(t, question) if question else str(row.get("question_id"))
    option = question.option(str(row.get("option_key"))) if question else None
    chosen = (
        t.pgettext(f"{question.id}.{option.key}", option.text)
        if question and option
        else t.gettext("(skipped)")
    )
    level = row.get("level")
    elapsed = row.get("elapsed_ms")
    took = f"{elapsed / 1000:.1f} s" if isinstance(elapsed, int) else "?"
    shown = (
        t.gettext("level {level}").format(level=level)
        if isinstance(level, int)
        else t.gettext("no level")
    )
    return (
        f'<li><span class="muted">{text(asked)}</span><br>'
        f"➡️ {text(chosen)} · <b>{text(shown)}</b> · ⏱️ {text(took)}</li>"
    )
