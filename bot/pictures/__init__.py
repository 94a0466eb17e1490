"""The pictures the bot draws: the results picture, badge images, pictograms and fonts."""
