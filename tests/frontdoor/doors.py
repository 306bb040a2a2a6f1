"""The front door's buttons as a citizen sees them in English."""

CITIZEN_DOOR = ["📍 Nearest hub", "🧰 Find a service", "📅 Events", "🙋 Volunteering", "⚙️ Settings"]
