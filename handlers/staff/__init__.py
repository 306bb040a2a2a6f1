"""/staff: every staff role a person holds and what each lets them do."""
