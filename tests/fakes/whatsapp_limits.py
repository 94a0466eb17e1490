"""The Cloud API's limits as Graph checks them: the problems of one message body, if any."""

from __future__ import annotations

from typing import Any

LIMITS = {"text": 4096, "body": 1024, "caption": 1024, "button": 20, "row": 24, "description": 72}


def problems(body: dict[str, Any]) -> list[str]:
    """Why Graph would refuse `body` (code 100 or 131009); empty when it is fine."""
    kind = body.get("type")
    if kind == "text":
        return _longer("text.body", body["text"]["body"], LIMITS["text"])
    if kind == "audio":  # Graph takes no caption on audio
        found = [] if body["audio"].get("id") or body["audio"].get("link") else ["audio: no id"]
        return found + (["audio: caption not allowed"] if "caption" in body["audio"] else [])
    if kind in ("image", "document"):
        media = body[kind]
        found = [] if media.get("id") or media.get("link") else [f"{kind}: no id"]
        return found + _longer("caption", media.get("caption", ""), LIMITS["caption"])
    if kind == "template":
        return [] if body["template"].get("name") else ["template: no name"]
    if kind == "interactive":
        return _interactive(body["interactive"])
    return [f"unknown type {kind!r}"]


def _interactive(interactive: dict[str, Any]) -> list[str]:
    found = _longer("body", interactive.get("body", {}).get("text", ""), LIMITS["body"])
    if not interactive.get("body", {}).get("text"):
        found.append("body: empty")
    action = interactive["action"]
    if interactive["type"] == "button":
        titles = [b["reply"]["title"] for b in action["buttons"]]
        if not 1 <= len(titles) <= 3:
            found.append(f"{len(titles)} buttons")
        if len(set(titles)) < len(titles):
            found.append("button titles not unique")
        for title in titles:
            found += _longer("button title", title, LIMITS["button"]) or (
                [] if title else ["button title empty"]
            )
        return found
    rows = [row for section in action["sections"] for row in section["rows"]]
    if not 1 <= len(rows) <= 10:
        found.append(f"{len(rows)} rows")
    found += _longer("list button", action.get("button", ""), 20)
    for row in rows:
        found += _longer("row title", row["title"], LIMITS["row"])
        found += _longer("row description", row.get("description", ""), LIMITS["description"])
    if len({row["id"] for row in rows}) < len(rows):
        found.append("row ids not unique")
    return found


def _longer(what: str, text: str, limit: int) -> list[str]:
    return [f"{what}: {len(text)} > {limit}"] if len(text) > limit else []
