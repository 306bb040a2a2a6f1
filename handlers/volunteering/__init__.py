"""Civic volunteering in the chat: projects, registration, places, rosters, reminders."""
