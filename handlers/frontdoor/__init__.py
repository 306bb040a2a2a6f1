"""The front door: the buttons of /start and of every "I didn't understand", and free text."""
