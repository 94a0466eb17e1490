"""Neutral keyboards: rows of buttons that each channel renders in its own way."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Button:
    """One tappable answer: what the person sees and what comes back when they tap it.

    `payload` is at most 64 bytes (Telegram's callback_data limit), so every channel can carry it.
    """

    label: str
    payload: str

    def __post_init__(self) -> None:
        if len(self.payload.encode()) > 64:
            raise ValueError(f"button payload over 64 bytes: {self.payload!r}")


@dataclass(frozen=True, slots=True)
class Keyboard:
    """Buttons in rows, top to bottom."""

    rows: tuple[tuple[Button, ...], ...]

    @classmethod
    def column(cls, buttons: list[Button]) -> Keyboard:
        """One button per row: the easiest layout to tap on a small phone."""
        return cls(tuple((button,) for button in buttons))

    def buttons(self) -> list[Button]:
        """All buttons, row by row."""
        return [button for row in self.rows for button in row]

    def to_json(self) -> list[list[dict[str, str]]]:
        """Plain lists and dicts, for the outbox and the web chat."""
        return [[{"label": b.label, "payload": b.payload} for b in row] for row in self.rows]

    @classmethod
    def from_json(cls, rows: list[list[dict[str, str]]]) -> Keyboard:
        """The inverse of `to_json`."""
        return cls(tuple(tuple(Button(b["label"], b["payload"]) for b in row) for row in rows))
