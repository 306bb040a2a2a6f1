"""Greenway events: the upcoming ones, RSVPs, following, reminders and the digest."""
