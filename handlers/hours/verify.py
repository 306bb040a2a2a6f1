"""Anyone checks an hours certificate: `/verify CODE` (`/verifica`), or the QR code's link."""

from __future__ import annotations

import html

from aiogram import F, Router
from aiogram.filters import Command, CommandObject, CommandStart
from aiogram.types import Message
from aiogram.utils.i18n import gettext as _
from babel.dates import format_date
from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import babel_locale
from bot.services.hours import certificates
from bot.settings import Settings
from bot.telegram.context import Context
from handlers.figures.views import date_range, hours_in_words


def verdict(
    certificate: certificates.Certificate | None, code: str, ctx: Context, issuer: str
) -> str:
    if certificate is None:
        return _(
            "❌ No certificate has the code <code>{code}</code>. Check it letter by letter "
            "(codes have two groups of five characters, such as ABCDE-FGHJK); if it is right, "
            "the document is not one the bot issued."
        ).format(code=html.escape(code[:64]))
    return _(
        "✅ Certificate <code>{code}</code> is genuine.\n"
        "<b>Volunteer:</b> {name}\n"
        "<b>Period:</b> {period}\n"
        "<b>Approved hours:</b> {hours}\n"
        "<b>Issued:</b> {day}, {issuer}."
    ).format(
        code=certificate.code,
        name=html.escape(certificate.full_name),
        period=date_range(certificate.period_from, certificate.period_to, ctx.locale),
        hours=hours_in_words(certificate.minutes, ctx.locale),
        day=format_date(
            certificate.issued_at.astimezone(ctx.zone).date(), "long", babel_locale(ctx.locale)
        ),
        issuer=html.escape(issuer),
    )


async def verify(
    message: Message,
    command: CommandObject,
    ctx: Context,
    session: AsyncSession,
    settings: Settings,
) -> None:
    code = (command.args or "").strip()
    if command.command == "start":
        code = code.removeprefix(certificates.START_PREFIX)
    if not code:
        await message.answer(
            _(
                "Send the code printed on the certificate after the command, for example: "
                "<code>/verify ABCDE-FGHJK</code>."
            )
        )
        return
    found = await certificates.find_certificate(session, code)
    await message.answer(verdict(found, code, ctx, settings.issuer))


def create_router() -> Router:
    """Put before the front door's `/start`: the QR code's link starts the bot with a code."""
    router = Router(name=__name__)
    router.message.register(verify, Command("verify", "verifica"))
    router.message.register(
        verify,
        CommandStart(deep_link=True, magic=F.args.startswith(certificates.START_PREFIX)),
    )
    return router
