"""The catalog: reading, checking and importing the programme's file, and the bundled sample."""
