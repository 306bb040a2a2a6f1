"""/broadcast for admins: composing, audiences and progress."""
