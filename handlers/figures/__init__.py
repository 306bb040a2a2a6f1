"""/report and /stats."""
