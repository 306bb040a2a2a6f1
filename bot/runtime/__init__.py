"""The processes (`run`, `send`, `demo`) and their one lifecycle: polling, webhook, health,
metrics, the scheduler."""
