"""Volunteer hours in the chat: logging, /myhours, tutors' approval and certificates."""
