"""Running the bot: events applied in order, effects carried out, replies delivered."""
