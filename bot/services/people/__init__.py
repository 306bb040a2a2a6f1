"""People: users, staff and roles, privacy rights, retention and the audit log."""
