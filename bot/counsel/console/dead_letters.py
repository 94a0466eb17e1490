"""The admins' read-only view of messages the sender set aside (dead letters): counts only."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from bot.counsel.console.templates import notice, text

DeadLetters = Callable[[], Awaitable[Sequence[Any]]]
"""The store's summary: rows of (channel, error, failures, last); nothing about a person."""

PATH = "/counsellor/dead-letters"


def banner(rows: Sequence[Any]) -> str:
    """A line for the admins' queue page when messages were set aside (else nothing)."""
    total = sum(int(row.failures) for row in rows)
    if not total:
        return ""
    what = "1 message" if total == 1 else f"{total} messages"
    link = f'<a href="{PATH}">{what} could not be delivered</a>'
    return f'<p class="notice bad" role="alert">⚠️ {link} and set aside.</p>'


def body(rows: Sequence[Any]) -> str:
    """The table of set-aside messages per channel and error."""
    head = '<h1>Messages set aside</h1><p><a href="/counsellor">Back to the cases</a></p>'
    if not rows:
        return head + notice("Every message was delivered. 🎉")
    lines = "".join(
        f"<tr><td>{text(row.channel)}</td><td>{text(row.error)}</td>"
        f"<td>{int(row.failures)}</td><td>{text(f'{row.last:%Y-%m-%d %H:%M}')} UTC</td></tr>"
        for row in rows
    )
    explain = (
        "<p>These messages failed every try and no longer hold their chat back. "
        "The server log has one line for each (without personal data).</p>"
    )
    table = (
        "<table><tr><th>Channel</th><th>Error</th><th>Messages</th><th>Last</th></tr>"
        f"{lines}</table>"
    )
    return head + explain + table
