"""The counsellors' Telegram group: the commands the desk reads (the desk itself is bot.channels.telegram_desk)."""
