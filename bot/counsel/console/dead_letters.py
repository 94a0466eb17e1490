"""The admins' read-only view of messages the sender set aside (dead letters): counts only."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from bot.counsel.console.templates import notice, text
from bot.framework.i18n import Translator

DeadLetters = Callable[[], Awaitable[Sequence[Any]]]
"""The store's summary: rows of (channel, error, failures, last); nothing about a person."""

PATH = "/counsellor/dead-letters"


def banner(t: Translator, rows: Sequence[Any]) -> str:
    """A line for the admins' queue page when messages were set aside (else nothing)."""
    total = sum(int(row.failures) for row in rows)
    if not total:
        return ""
    what = t.gettext("Messages not delivered and set aside: {count}").format(count=total)
    return f'<p class="notice bad" role="alert">⚠️ <a href="{PATH}">{text(what)}</a></p>'


def body(t: Translator, rows: Sequence[Any]) -> str:
    """The table of set-aside messages per channel and error."""
    title, back = t.gettext("Messages set aside"), t.gettext("Back to the cases")
    head = f'<h1>{text(title)}</h1><p><a href="/counsellor">{text(back)}</a></p>'
    if not rows:
        return head + notice(t.gettext("Every message was delivered.") + " 🎉")
    lines = "".join(
        f"<tr><td>{text(row.channel)}</td><td>{text(row.error)}</td>"
        f"<td>{int(row.failures)}</td><td>{text(f'{row.last:%Y-%m-%d %H:%M}')} UTC</td></tr>"
        for row in rows
    )
    explain = t.gettext(
        "These messages failed every try and no longer hold their chat back. "
        "The server log has one line for each (without personal data)."
    )
    columns = (t.gettext("Channel"), t.gettext("Error"), t.gettext("Messages"), t.gettext("Last"))
    heads = "".join(f"<th>{text(column)}</th>" for column in columns)
    return head + f"<p>{text(explain)}</p><table><tr>{heads}</tr>{lines}</table>"
