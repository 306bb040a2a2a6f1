"""Use cases and rules of the programme, one module per feature; no Telegram code here."""
