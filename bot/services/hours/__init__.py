"""Volunteer hours: logging, tutors' review, totals and certificates."""
