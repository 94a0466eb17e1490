"""The console's pages as safe HTML bodies: login, the queue, one case."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.counsel.console.templates import dl, form, notice, select, text, textarea
from bot.counsel.model import Case, CaseMessage
from bot.dialogs.content import Content, QuestionId

FLAG_WORDS = {
    "borderline": "Close to the next level",
    "inconsistent": "Answers about the same thing disagree",
    "self_rating_gap": "Own rating differs from the answers",
    "too_fast": "Answered very fast",
    "same_position": "Often tapped the same button position",
    "ceiling": "Chose the top answer almost every time",
    "too_many_skips": "Skipped many questions",
}
REASONS = {"flags": "Unclear result", "person": "Asked for a person"}
SENDERS = {"person": "Person", "counsellor": "Counsellor", "bot": "Bot"}
REPLY_LIMIT = 2000


@dataclass(frozen=True, slots=True)
class Viewer:
    """Who looks at a page: their counsellor id and the CSRF token of their session."""

    counsellor_id: str
    csrf: str


def login_body(csrf: str, problem: str = "", name: str = "") -> str:
    """The login form (`problem` shown above it)."""
    fields = (
        '<label for="name">Your name</label>'
        f'<input id="name" name="name" autocomplete="username" required value="{text(name)}">'
        '<label for="password">Password</label>'
        '<input id="password" name="password" type="password" '
        'autocomplete="current-password" required>'
    )
    return (
        "<h1>Log in</h1>"
        + (notice(problem, bad=True) if problem else "")
        + "<section>"
        + form("/counsellor/login", csrf, fields, "Log in")
        + "</section>"
    )


def age(since: datetime, now: datetime) -> str:
    """How long ago, in plain words: ``5 min``, ``3 h 10 min``, ``2 days``."""
    minutes = max(0, int((now - since).total_seconds() // 60))
    if minutes < 60:
        return f"{minutes} min"
    if minutes < 48 * 60:
        return f"{minutes // 60} h {minutes % 60} min"
    return f"{minutes // (24 * 60)} days"


def flag_codes(summary: Mapping[str, Any]) -> list[str]:
    """The flag codes of a case summary (plain codes or ``{"code": …}`` dicts)."""
    flags = summary.get("flags") or []
    return [str(f.get("code", "")) if isinstance(f, Mapping) else str(f) for f in flags]


def flag_words(summary: Mapping[str, Any]) -> str:
    """The flags in plain words, each once (with a count when repeated), or an empty string."""
    return ", ".join(_flag_list(summary))


def _flag_list(summary: Mapping[str, Any]) -> list[str]:
    counts = Counter(flag_codes(summary))
    return [
        FLAG_WORDS.get(code, code) + (f" ({count}×)" if count > 1 else "")
        for code, count in counts.items()
    ]


def holder_text(case: Case, viewer: Viewer, names: Mapping[str, str]) -> str:
    """Who holds a case, in plain words."""
    if case.status == "closed":
        return "🏁 Closed" + (f": {case.outcome}" if case.outcome else "")
    if case.claimed_by is None:
        return "🔓 Free: nobody has it yet"
    if case.claimed_by == viewer.counsellor_id:
        return "✋ You have this case"
    return f"🔒 Taken by {names.get(case.claimed_by, case.claimed_by)}"


def queue_body(
    cases: Sequence[Case], viewer: Viewer, names: Mapping[str, str], now: datetime
) -> str:
    """The waiting and claimed cases, oldest first."""
    ordered = sorted(cases, key=lambda c: (c.created_at, c.id))
    head = '<h1>Cases</h1><p><a href="/counsellor">↻ Refresh</a></p>'
    if not ordered:
        return head + notice("No cases are waiting. 🎉")
    count = "1 case" if len(ordered) == 1 else f"{len(ordered)} cases"
    items = "".join(_queue_item(case, viewer, names, now) for case in ordered)
    return head + f"<p>{count}, oldest first.</p>" + f'<ul class="cases">{items}</ul>'


def _queue_item(case: Case, viewer: Viewer, names: Mapping[str, str], now: datetime) -> str:
    flags = flag_words(case.summary)
    return (
        '<li class="card">'
        f'<p class="open"><a href="/counsellor/cases/{case.id}">Case {case.id}</a></p>'
        f"<p>⏳ Waiting {text(age(case.created_at, now))} · 🗣️ {text(case.language or '?')}"
        f" · {text(_reason(case))}</p>"
        + (f'<p class="flags">⚠️ {text(flags)}</p>' if flags else "")
        + f"<p>{text(holder_text(case, viewer, names))}</p></li>"
    )


def _reason(case: Case) -> str:
    return REASONS.get(case.reason, case.reason)


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
    case = view.case
    parts = [
        f"<h1>Case {case.id}</h1>",
        notice(message) if message else "",
        f"<p><b>{text(holder_text(case, viewer, view.names))}</b></p>",
        _actions(case, viewer),
        "<section><h2>Summary</h2>" + _summary(view, content) + "</section>",
        "<section><h2>Conversation</h2>" + _transcript(view.messages),
        _reply(case, viewer) + "</section>",
        _decide(case, viewer, content),
        "<section><h2>Answers</h2>" + _answers(view.answers, content) + "</section>",
        _history(view.history),
    ]
    return "".join(parts)


def _path(case: Case, action: str) -> str:
    return f"/counsellor/cases/{case.id}/{action}"


def _actions(case: Case, viewer: Viewer) -> str:
    if case.status == "closed":
        return ""
    if case.claimed_by != viewer.counsellor_id:
        return (
            '<div class="row">'
            + form(_path(case, "claim"), viewer.csrf, "", "✋ Take this case")
            + "</div>"
        )
    release = form(_path(case, "release"), viewer.csrf, "", "Give back to the queue", "quiet")
    close = form(_path(case, "close"), viewer.csrf, "", "Close the case", "quiet")
    return f'<div class="row">{release}{close}</div>'


def _summary(view: CaseView, content: Content) -> str:
    case, summary = view.case, view.case.summary
    since = f"{age(case.created_at, view.now)} (since {case.created_at:%Y-%m-%d %H:%M} UTC)"
    rows = [
        ("Why", text(_reason(case))),
        ("Waiting", text(since)),
        ("Language", text(case.language or "?")),
    ]
    category = summary.get("category")
    if isinstance(category, str) and category:
        rows.append(("Topic", text(_category_name(content, category))))
        rows.append(("Level from answers", text(_level_name(content, summary.get("level")))))
    flags = _flag_list(summary)
    if flags:
        items = "".join(f"<li>⚠️ {text(flag)}</li>" for flag in flags)
        rows.append(("Flags", f'<ul class="flags">{items}</ul>'))
    if summary.get("invite"):
        rows.append(("Invite code", text(summary["invite"])))
    return dl(rows) + _results(summary, content)


def _results(summary: Mapping[str, Any], content: Content) -> str:
    """Every finished topic: level from the answers, flags, and a level already confirmed."""
    results, validated = summary.get("results") or {}, summary.get("validated") or {}
    if not isinstance(results, Mapping) or not results:
        return ""
    items = "".join(
        f"<li><b>{text(_category_name(content, str(category)))}</b>: "
        f"{text(_level_name(content, result.get('level')))}"
        + (
            f' · <span class="flags">⚠️ {text(flag_words(result))}</span>'
            if flag_words(result)
            else ""
        )
        + (
            f" · ✅ confirmed {text(_level_name(content, validated[category]))}"
            if category in validated
            else ""
        )
        + _progress(summary, content, str(category))
        + "</li>"
        for category, result in results.items()
        if isinstance(result, Mapping)
    )
    return f'<h3>All finished topics</h3><ul class="plain">{items}</ul>'


def _progress(summary: Mapping[str, Any], content: Content, category: str) -> str:
    """Earlier levels of a topic (oldest first) and its practice ticks, next to the current one."""
    earlier, practised = summary.get("earlier") or {}, summary.get("practised") or {}
    levels = earlier.get(category) or [] if isinstance(earlier, Mapping) else []
    ticks = sum(
        int(count)
        for outcome, count in (practised.items() if isinstance(practised, Mapping) else [])
        if outcome in content.outcomes and content.outcomes[outcome].category == category
    )
    shown = " → ".join(_level_name(content, level) for level in levels)
    return (f" · before: {text(shown)}" if shown else "") + (
        f" · 👍 practised {ticks}×" if ticks else ""
    )


def _category_name(content: Content, category: str) -> str:
    found = next((c for c in content.categories if c.id == category), None)
    return f"{found.emoji} {found.name}" if found else category


def _level_name(content: Content, level: object) -> str:
    if isinstance(level, int) and 0 <= level < len(content.levels):
        scale = content.levels[level]
        return f"{scale.emoji} {level}: {scale.label}"
    return "—"


ACTIONS = {
    "claim": "took the case",
    "release": "gave the case back",
    "close": "closed the case",
    "reply": "wrote to the person",
    "validate": "confirmed a level",
    "reject": "did not confirm a level",
}


def _history(entries: Sequence[Mapping[str, Any]]) -> str:
    """Who did what with the case, oldest first (from the audit log)."""
    if not entries:
        return ""
    items = "".join(
        f'<li><time datetime="{text(_iso(e.get("at")))}">{text(_hhmm(e.get("at")))}</time> · '
        f"{text(e.get('name', '?'))} {text(ACTIONS.get(str(e.get('action')), e.get('action')))}"
        "</li>"
        for e in entries
    )
    return f'<section><h2>History</h2><ul class="plain">{items}</ul></section>'


def _iso(at: object) -> str:
    return at.isoformat() if isinstance(at, datetime) else ""


def _hhmm(at: object) -> str:
    return f"{at:%Y-%m-%d %H:%M}" if isinstance(at, datetime) else "?"


def _transcript(messages: Sequence[CaseMessage]) -> str:
    if not messages:
        return '<p class="muted">No messages yet.</p>'
    items = "".join(
        f'<li class="{text(m.sender)}"><span class="meta">{text(SENDERS.get(m.sender, m.sender))}'
        f' · <time datetime="{m.at.isoformat()}">{m.at:%H:%M}</time></span>{text(m.text)}'
        f"{_voice(m, n)}</li>"
        for n, m in enumerate(messages)
    )
    return f'<ol class="chat">{items}</ol>'


def _voice(message: CaseMessage, n: int) -> str:
    """A player for a voice note (served by the console, signed in only)."""
    if message.kind != "voice" or not message.file_ref:
        return ""
    src = f"/counsellor/cases/{message.case_id}/voice/{n}"
    return f'<audio controls preload="none" src="{src}"></audio>'


def _reply(case: Case, viewer: Viewer) -> str:
    if case.status == "closed":
        return ""
    if case.claimed_by != viewer.counsellor_id:
        return '<p class="muted">Take the case to write to the person.</p>'
    box = textarea(
        "text", "Your message to the person (short and simple)", "reply-text", True, REPLY_LIMIT
    )
    return form(_path(case, "reply"), viewer.csrf, box, "Send")


def _decide(case: Case, viewer: Viewer, content: Content) -> str:
    if case.status == "closed" or case.claimed_by != viewer.counsellor_id:
        return ""
    chosen = str(case.summary.get("category") or "")
    categories = [(c.id, f"{c.emoji} {c.name}") for c in content.categories]
    levels = [(str(lv.level), f"{lv.emoji} {lv.level}: {lv.label}") for lv in content.levels]
    level = case.summary.get("level")
    fields = (
        select("category", "Topic", categories, chosen)
        + select("level", "Level", levels, str(level) if isinstance(level, int) else "")
        + textarea("note", "A short note for the person (they will read it)", "validate-note")
    )
    confirm = form(
        _path(case, "validate"), viewer.csrf, fields, "🏅 Confirm this level and give the badge"
    )
    reject = form(
        _path(case, "reject"),
        viewer.csrf,
        textarea("note", "A short, kind note for the person (they will read it)", "reject-note"),
        "Do not confirm a level",
        "warn",
    )
    return f"<section><h2>Decide</h2>{confirm}<h3>Or</h3>{reject}</section>"


def _answers(answers: Sequence[Mapping[str, Any]], content: Content) -> str:
    if not answers:
        return '<p class="muted">No answers recorded.</p>'
    groups: dict[str, list[Mapping[str, Any]]] = {}
    for answer in answers:
        question = content.questions.get(QuestionId(str(answer.get("question_id"))))
        category = str(answer.get("category") or (question.category if question else "?"))
        groups.setdefault(category, []).append(answer)
    return "".join(
        f"<h3>{text(_category_name(content, category))}</h3>" + _answer_list(rows, content)
        for category, rows in groups.items()
    )


def _answer_list(rows: Sequence[Mapping[str, Any]], content: Content) -> str:
    return '<ol class="answers">' + "".join(_answer_item(row, content) for row in rows) + "</ol>"


def _answer_item(row: Mapping[str, Any], content: Content) -> str:
    question = content.questions.get(QuestionId(str(row.get("question_id"))))
    asked = (
        f"{question.situation} {question.question}" if question else str(row.get("question_id"))
    )
    option = question.option(str(row.get("option_key"))) if question else None
    chosen = option.text if option else "(skipped)"
    level = row.get("level")
    elapsed = row.get("elapsed_ms")
    took = f"{elapsed / 1000:.1f} s" if isinstance(elapsed, int) else "?"
    shown = f"level {level}" if isinstance(level, int) else "no level"
    return (
        f'<li><span class="muted">{text(asked)}</span><br>'
        f"➡️ {text(chosen)} · <b>{text(shown)}</b> · ⏱️ {text(took)}</li>"
    )
