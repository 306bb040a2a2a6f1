"""The hub finder in the chat."""
