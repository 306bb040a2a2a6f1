"""The local demo's cast and the database they find."""
