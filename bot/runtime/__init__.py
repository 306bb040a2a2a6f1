"""The processes (`run`, `send`, `demo`): polling, webhook, health, metrics, the scheduler."""
