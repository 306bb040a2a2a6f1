"""The staff Mini App's server: sign-in with Telegram's initData, the page, the API routes.

Served on WEBHOOK_LISTEN under PUBLIC_BASE_URL's path (bot/runtime/app.py mounts it, in
both modes); each feature's endpoints live in handlers/<feature>/webapp.py and are handed in
as `ApiRoute`s, each naming the role it needs.
"""
