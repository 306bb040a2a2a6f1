"""The front door: what a person can do first, and what their free text asks for."""
