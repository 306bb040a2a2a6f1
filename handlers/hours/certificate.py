"""The certificate of approved hours: a period to choose, then a PDF in the user's language."""

from __future__ import annotations

import asyncio
from zoneinfo import ZoneInfo

from aiogram import Bot, Router
from aiogram.types import BufferedInputFile, CallbackQuery, Message
from aiogram.utils.callback_answer import CallbackAnswer
from aiogram.utils.i18n import gettext as _
from babel.dates import format_date
from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import babel_locale
from bot.services.figures.periods import Period
from bot.services.hours import certificates
from bot.services.hours.certificate_pdf import CertificatePage, certificate_pdf
from bot.settings import Settings
from bot.telegram.context import Context
from bot.telegram.tuning.inline_keyboards import button, markup
from handlers.figures.views import date_range, hours_in_words, hours_number, period_label
from handlers.shared.callbacks import CertificateMenu, CertificatePick

CERTIFICATE_PERIODS = (Period.THIS_YEAR, Period.LAST_YEAR, Period.ALL)


async def choose_period(query: CallbackQuery, message: Message) -> None:
    rows = [[button(period_label(p), CertificatePick(period=p.value))] for p in CERTIFICATE_PERIODS]
    await message.answer(
        _("A certificate of your approved hours: for which period?"), reply_markup=markup(rows)
    )


def refusal_text(refusal: certificates.Refusal) -> str:
    if refusal is certificates.Refusal.NOT_REGISTERED:
        return _("Certificates are for volunteers in the register: join it with /volunteer.")
    return _("You have no approved hours in this period, so there is nothing to certify yet.")


def certificate_page(
    certificate: certificates.Certificate,
    locale: str,
    zone: ZoneInfo,
    issuer: str,
    bot_username: str,
) -> CertificatePage:
    period = date_range(certificate.period_from, certificate.period_to, locale)
    return CertificatePage(
        issuer=issuer,
        title=_("Certificate of volunteer hours"),
        name=certificate.full_name,
        statement=_(
            "This certifies that the volunteer named above gave {hours} of civic volunteering "
            "{period}, approved by the tutors of these projects:"
        ).format(hours=hours_in_words(certificate.minutes, locale), period=period),
        project_heading=_("Project"),
        hours_heading=_("Hours"),
        rows=tuple((p.title, hours_number(p.minutes, locale)) for p in certificate.projects),
        total=(_("Total"), hours_number(certificate.minutes, locale)),
        footer=(
            _("Issued on {day}.").format(
                day=format_date(
                    certificate.issued_at.astimezone(zone).date(),
                    "long",
                    locale=babel_locale(locale),
                )
            ),
            _("Verification code: {code}").format(code=certificate.code),
            _("Issued by {issuer}.").format(issuer=issuer),
            _(
                "Anyone can check this certificate: scan the QR code, send /verify {code} to "
                "@{bot} on Telegram, or ask the issuer's office. The answer gives whose it is, "
                "the period and the hours."
            ).format(code=certificate.code, bot=bot_username),
        ),
        qr_text=certificates.verification_link(bot_username, certificate.code),
    )


async def send_certificate(
    query: CallbackQuery,
    callback_data: CertificatePick,
    message: Message,
    ctx: Context,
    session: AsyncSession,
    settings: Settings,
    bot: Bot,
    callback_answer: CallbackAnswer,
) -> None:
    try:
        period = Period(callback_data.period)
    except ValueError:
        period = Period.THIS_YEAR
    locale = ctx.locale
    try:
        certificate = await certificates.issue_certificate(
            session, ctx.user_id, period, locale, ctx.default_locale, ctx.now, ctx.zone
        )
    except certificates.CertificateError as error:
        callback_answer.text = refusal_text(error.refusal)
        callback_answer.show_alert = True
        return
    # Laying out the PDF takes a moment of CPU: off the event loop, like any file work.
    me = await bot.me()
    page = certificate_page(certificate, locale, ctx.zone, settings.issuer, me.username or "")
    pdf = await asyncio.to_thread(certificate_pdf, page)
    # A name the volunteer and a school's secretary recognise in a folder of downloads.
    stem = _("hours-certificate")
    await message.answer_document(
        BufferedInputFile(pdf, filename=certificates.file_name(certificate, stem)),
        caption=_("Your certificate of {hours}. Verification code: <code>{code}</code>").format(
            hours=hours_in_words(certificate.minutes, locale), code=certificate.code
        ),
    )


def create_router() -> Router:
    router = Router(name=__name__)
    router.callback_query.register(choose_period, CertificateMenu.filter())
    router.callback_query.register(send_certificate, CertificatePick.filter())
    return router
