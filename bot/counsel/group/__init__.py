"""The commands counsellors type in their group (the desk itself: bot.channels.telegram_desk)."""
