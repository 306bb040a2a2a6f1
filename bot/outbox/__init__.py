"""Everything the bot sends on its own initiative: the queue, the claim, the sender; no aiogram."""
