"""A user's preferences: /language and /settings."""
