"""Civic volunteering: the register, projects, shifts, rosters and reminders."""
