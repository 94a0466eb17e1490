"""Render neutral texts and keyboards as Cloud API message bodies, within WhatsApp's limits."""

from __future__ import annotations

from typing import Any

from bot.channels.whatsapp_limits import (
    MAX_BODY,
    MAX_BUTTON_TITLE,
    MAX_BUTTONS,
    MAX_CAPTION,
    MAX_ROW_DESCRIPTION,
    MAX_ROW_TITLE,
    MAX_ROWS,
    MAX_TEXT,
    cut,
    split,
)
from bot.dialogs.ui import NUMBER_EMOJI
from bot.framework.keyboards import Button, Keyboard

Body = dict[str, Any]
MORE = "wa:more:"
"""Row id prefix of the "more" row of a long list; the channel shows the next page itself."""
MORE_LABEL = "➡️ …"
PAGE = MAX_ROWS - 1


def render_text(text: str, keyboard: Keyboard | None, ack: str = "", page: int = 0) -> list[Body]:
    """The message bodies for one text: plain texts, the last one interactive with buttons.

    `ack` (the answer just chosen) is shown at the top, since nothing can be edited.
    """
    if ack:
        text = f"✅ {ack}\n\n{text}"
    buttons = keyboard.buttons() if keyboard is not None else []
    if not buttons:
        return [_text(piece) for piece in split(text, MAX_TEXT)]
    if len(buttons) <= MAX_BUTTONS:
        body, interactive = _reply_buttons(text, buttons)
    else:
        body, interactive = _list(text, buttons, page)
    *before, last = split(body, MAX_BODY)
    interactive["body"] = {"text": last}
    return [_text(piece) for piece in before] + [
        {"type": "interactive", "interactive": interactive}
    ]


def caption(text: str) -> str:
    """A media caption, cut to fit."""
    return cut(text, MAX_CAPTION)


def ack_text(label: str) -> Body:
    """The chosen answer alone, when no text follows to carry it."""
    return _text(f"✅ {label}")


def _text(text: str) -> Body:
    return {"type": "text", "text": {"body": text, "preview_url": "http" in text}}


def _reply_buttons(text: str, buttons: list[Button]) -> tuple[str, Body]:
    """Up to three buttons; long labels are listed in full, numbered, above them."""
    titles = [cut(b.label, MAX_BUTTON_TITLE) for b in buttons]
    if titles != [b.label for b in buttons]:
        text = _with_options(text, buttons)
    if len(set(titles)) < len(titles):
        titles = [cut(f"{i + 1}. {b.label}", MAX_BUTTON_TITLE) for i, b in enumerate(buttons)]
    replies = [
        {"type": "reply", "reply": {"id": b.payload, "title": title}}
        for b, title in zip(buttons, titles, strict=True)
    ]
    return text, {"type": "button", "action": {"buttons": replies}}


def _list(text: str, buttons: list[Button], page: int) -> tuple[str, Body]:
    """A list of rows (ten at most: nine and a "more" row when there are more)."""
    shown = buttons if len(buttons) <= MAX_ROWS else buttons[page * PAGE : (page + 1) * PAGE]
    rows = [_row(b.label, b.payload) for b in shown]
    if any(_numbered(b) or not _whole(_row(b.label, b.payload), b.label) for b in buttons):
        text = _with_options(text, buttons)
    if len(buttons) > MAX_ROWS and (page + 1) * PAGE < len(buttons):
        rows.append(_row(MORE_LABEL, f"{MORE}{page + 1}"))
    action = {"button": f"👉 1-{len(buttons)}", "sections": [{"rows": rows}]}
    return text, {"type": "list", "action": action}


def _row(label: str, payload: str) -> Body:
    """One list row within WhatsApp's limits.

    A label too long for a title keeps its leading symbols (🌐 ➡️) as the title and its words
    as the description when they fit; otherwise the title is cut and the description holds
    the label.
    """
    label = label.strip()
    title = cut(label, MAX_ROW_TITLE)
    if title == label:
        return {"id": payload, "title": title}
    head, words = _symbols_and_words(label)
    if head and words and len(head) <= MAX_ROW_TITLE and len(words) <= MAX_ROW_DESCRIPTION:
        return {"id": payload, "title": head, "description": words}
    return {"id": payload, "title": title, "description": cut(label, MAX_ROW_DESCRIPTION)}


def _symbols_and_words(label: str) -> tuple[str, str]:
    """The label's leading words without a letter or digit (emoji, arrows), and the rest."""
    parts = label.split(" ")
    count = next((i for i, part in enumerate(parts) if any(c.isalnum() for c in part)), 0)
    return " ".join(parts[:count]), " ".join(parts[count:])


def _whole(row: Body, label: str) -> bool:
    """True when the row shows the label uncut: as its title, or as symbols over words."""
    shown = f"{row['title']} {row['description']}" if "description" in row else row["title"]
    return bool(shown == label.strip())


def _numbered(button: Button) -> bool:
    return button.label.startswith(NUMBER_EMOJI)


def _with_options(text: str, buttons: list[Button]) -> str:
    """The text with the options in full below it: the numbered ones (the answers), or all."""
    numbered = [b.label for b in buttons if b.label.startswith(NUMBER_EMOJI)]
    listed = numbered or [f"{i + 1}. {b.label}" for i, b in enumerate(buttons)]
    return text + "\n\n" + "\n".join(listed)
