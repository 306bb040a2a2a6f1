"""aiogram adapters: middlewares, conversation state, isolation, filters and framework tuning."""
