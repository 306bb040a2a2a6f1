"""Test support: the production dispatcher wired to the Bot API emulator."""
