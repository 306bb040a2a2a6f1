"""The hub finder: nearest Case di quartiere, what they offer, and when they are open."""
