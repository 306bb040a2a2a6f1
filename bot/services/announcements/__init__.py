"""Staff announcements: composing, audiences and checking Telegram HTML."""
