"""First contact, help, groups, the command menu, the catch-all hint and the last-resort error."""
