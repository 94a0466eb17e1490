"""The Bot API stand-in with a counsellors' group the bot can post in, tap in and reply in."""

from __future__ import annotations

import time

from tests.fakes.telegram_api import FakeTelegramApi, Json, SentMessage


class GroupTelegramApi(FakeTelegramApi):
    """FakeTelegramApi plus one group: the bot may post there; members tap and reply."""

    def __init__(self, group_id: int) -> None:
        super().__init__()
        self.group_id = group_id

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

    async def member_sends_voice(
        self, from_id: int, content: bytes, *, to: SentMessage | None = None, caption: str = ""
    ) -> Json:
        """A voice note recorded in the group (its bytes served by getFile), replying to `to`."""
        file_id = f"cv-{len(self.files) + 1}"
        self.files[file_id] = content
        voice = {"file_id": file_id, "file_unique_id": f"u-{file_id}", "duration": 2}
        message: Json = {"voice": {**voice, "file_size": len(content), "mime_type": "audio/ogg"}}
        if caption:
            message["caption"] = caption
        if to is not None:
            message["reply_to_message"] = {**to.to_api(), "chat": self._group_chat()}
        return await self.raw_update({"message": self._group_message(from_id, message)})

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
