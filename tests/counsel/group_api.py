"""The Bot API stand-in with a counsellors' group the bot can post in, tap in and reply in."""

from __future__ import annotations

import time
from typing import Any

from tests.fakes.telegram_api import FakeTelegramApi, Json, SentMessage


class GroupTelegramApi(FakeTelegramApi):
    """FakeTelegramApi plus one group: the bot may post there; members tap and reply."""

    def __init__(self, group_id: int) -> None:
        super().__init__()
        self.group_id = group_id
        self.voices: list[tuple[int, str, str]] = []  # chat, file id, caption

    def group_posts(self) -> list[SentMessage]:
        """What the bot posted in the group, oldest first."""
        return self.messages_for(self.group_id)

    async def member_says(self, from_id: int, text: str) -> Json:
        """A group message (commands get their bot_command entity)."""
        return await self.raw_update({"message": self._group_message(from_id, {"text": text})})

    async def member_replies(self, from_id: int, to: SentMessage, text: str) -> Json:
        """A reply to one of the bot's group messages."""
        replied = {**to.to_api(), "chat": self._group_chat()}
        content = {"text": text, "reply_to_message": replied}
        return await self.raw_update({"message": self._group_message(from_id, content)})

    async def member_taps(self, from_id: int, message: SentMessage, data: str) -> Json:
        """A tap on an inline button of the bot's group message."""
        query_id = str(next(self._callback_ids))
        self._open_callbacks.add(query_id)
        query = {
            "id": query_id,
            "from": self._user(from_id, "en"),
            "message": {**message.to_api(), "chat": self._group_chat()},
            "chat_instance": f"{self.group_id}77",
            "data": data,
        }
        return await self.raw_update({"callback_query": query})

    def _group_chat(self) -> Json:
        return {"id": self.group_id, "type": "supergroup", "title": "Counsellors"}

    def _group_message(self, from_id: int, content: Json) -> Json:
        if str(content.get("text", "")).startswith("/"):
            length = len(content["text"].split(maxsplit=1)[0])
            content["entities"] = [{"type": "bot_command", "offset": 0, "length": length}]
        return {
            "message_id": self._next_message_id(self.group_id),
            "from": self._user(from_id, "en"),
            "chat": self._group_chat(),
            "date": int(time.time()),
            **content,
        }

    def _writable_chat(self, params: Json) -> int:
        if params.get("chat_id") == self.group_id:
            return self.group_id
        return super()._writable_chat(params)

    def _methods(self) -> dict[str, tuple[str, Any]]:
        return {**super()._methods(), "sendvoice": ("sendVoice", self._send_voice)}

    async def _send_voice(self, params: Json) -> Json:
        chat_id = self._writable_chat(params)
        caption = str(params.get("caption") or "")
        self.voices.append((chat_id, str(params.get("voice")), caption))
        sent = SentMessage(self._next_message_id(chat_id), chat_id, caption=caption)
        self._chats.setdefault(chat_id, []).append(sent)
        return sent.to_api()
