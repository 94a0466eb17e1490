"""Which message asked which question, so an answer can be marked on it (memory only)."""

from __future__ import annotations

from collections import OrderedDict

REMEMBERED_QUESTIONS = 10_000


class QuestionMessages:
    """Which message asked question `ref` in which chat, and its text; newest 10 000 kept.

    Memory only: after a restart an old question simply is not marked as answered.
    """

    def __init__(self, size: int = REMEMBERED_QUESTIONS) -> None:
        self._size = size
        self._asked: OrderedDict[tuple[int, str], tuple[int, str]] = OrderedDict()

    def remember(self, chat_id: int, ref: str, message_id: int, text: str) -> None:
        """Note the message that asked `ref`."""
        self._asked[(chat_id, ref)] = (message_id, text)
        self._asked.move_to_end((chat_id, ref))
        while len(self._asked) > self._size:
            self._asked.popitem(last=False)

    def find(self, chat_id: int, ref: str) -> tuple[int, str] | None:
        """(message_id, text) of the question, if known."""
        return self._asked.get((chat_id, ref))

    def forget(self, chat_id: int, ref: str) -> None:
        """Drop the question once it is marked."""
        self._asked.pop((chat_id, ref), None)
