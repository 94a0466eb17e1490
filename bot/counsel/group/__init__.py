"""The counsellors' Telegram group: the desk that posts cases and the commands it reads."""
