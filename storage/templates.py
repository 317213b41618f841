"""Message templates: placeholder filling and the shipped defaults.

A template is Markdown with ``{placeholders}`` taken from one fixed set of names
(:data:`PLACEHOLDERS`). Filling never evaluates anything: no ``str.format``, no
attribute or index access, no code. ``{client}`` is replaced by the value given
for ``client``; ``{client.__class__}``, ``{0}`` or ``{a[b]}`` are not names in
the set, so they stay in the text exactly as typed and are reported, and the
person sees what to fix. Values are inserted as plain text and are never filled
in turn, so a client called ``{my_email}`` is just a strange name.

The shipped templates follow the guide rapport implements (docs/rules.md, "The guide
it implements"), in English and in Spanish: the guide's own wording for the
payment terms and for the first payment reminder, and its points for changes of
brief, price raises and the farewell to a client who will not pay the new rate.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import NamedTuple

from .models import Language, Template

PLACEHOLDERS: dict[str, str] = {
    # The client
    "client": "the client's name, as stored",
    "first_name": "who to greet: the main contact's first name, else the billing "
    "contact's, else the client's name",
    "company": "the client's company",
    "client_email": "the client's email address",
    # You, from the settings
    "my_name": "your name",
    "my_business": "your business name",
    "my_email": "your email address",
    "my_phone": "your phone number",
    "my_website": "your website",
    "my_address": "your postal address",
    "signature": "your sign-off block: name, business, email, phone and website, "
    "one a line, leaving out the ones not set",
    # Work
    "job": "the job the message is about: the change's job, the client's current job, "
    "or the jobs on the invoice",
    "price": "the job's agreed price, with its currency",
    "deadline": "the job's agreed deadline",
    "change": "what the client asked to change (the newest open change of brief)",
    "new_price": "the price proposed by that change",
    "new_deadline": "the deadline proposed by that change",
    "proposal": "the change's new price and/or deadline as a list, with the old values",
    # Rates
    "rate": "the client's current rate, with its currency",
    "new_rate": "the proposed new rate of a price raise waiting for an answer",
    "rate_unit": "what the rate is per: hour, day or project",
    "reason": "the reason recorded with the price-raise proposal",
    "currency": "the ISO 4217 currency code of the client, or of the invoice",
    # Invoices and reminders
    "invoice_number": "the invoice's number",
    "invoice_date": "the date the invoice was issued",
    "due_date": "the invoice's due date (issued + payment terms)",
    "total": "the invoice's total, with its currency",
    "outstanding": "what is still unpaid: on the invoice, or in a statement everything "
    "the client owes (per currency)",
    "days_overdue": "whole days past the due date (0 when not overdue)",
    "terms_days": "the payment terms as a number of days",
    "terms": "the payment terms as words for the middle of a sentence: '2 weeks', '30 days'",
    "payment_terms": "the payment-terms sentence: 'Payment is due within two weeks of "
    "the invoice date.' (or the right variant for other terms)",
    "reminder_level": "the number of the reminder being sent: 1, 2, 3...",
    "last_reminder_date": "the date the previous reminder was sent",
    "pay_by": "a date one week from today: the deadline a final notice gives",
    "statement_lines": "a statement: one list line per unpaid invoice of the client",
    # Dates
    "today": "today's date",
}
"""Every name a template may use, with what it is. Nothing else is ever filled."""

FILLED_FROM_SETTINGS: dict[str, tuple[str, ...]] = {
    "my_name": ("name",),
    "my_business": ("business",),
    "my_email": ("email",),
    "my_phone": ("phone",),
    "my_website": ("website",),
    "my_address": ("address",),
    "signature": ("name", "business", "email", "phone", "website"),
}
"""The placeholders the settings fill (storage.drafts), each with the settings
(storage.settings_keys) that fill it: any one of them set fills it. One left
unfilled in a draft is fixed in the settings, not in the message."""


def settings_to_fill(names: Iterable[str]) -> dict[str, tuple[str, ...]]:
    """Of the placeholders ``names`` (a draft's ``missing``), those an empty
    setting left unfilled, each with the settings that would fill it, in order."""
    return {name: FILLED_FROM_SETTINGS[name] for name in names if name in FILLED_FROM_SETTINGS}

TEMPLATE_NAMES: tuple[str, ...] = (
    "checkin",
    "update",
    "change",
    "raise",
    "farewell",
    "invoice",
    "reminder1",
    "reminder2",
    "final",
    "statement",
)
"""The shipped templates, each in every :class:`~storage.models.Language`."""


class Filled(NamedTuple):
    """The result of :func:`fill`.

    ``unknown``: what was written between the braces of placeholders that are
    not in :data:`PLACEHOLDERS` (``client.__class__`` for ``{client.__class__}``).
    ``missing``: names of known placeholders that had no value for this message
    (``invoice_number`` in a check-in). Both are left in ``text`` exactly as
    written, so the person sees them, and listed once each, in order.
    """

    text: str
    unknown: tuple[str, ...] = ()
    missing: tuple[str, ...] = ()


# One pass, left to right: an escaped brace, or anything between single braces on
# one line. Whatever a match is replaced with is never looked at again, so a value
# cannot smuggle in another placeholder.
_TOKEN = re.compile(r"\{\{|\}\}|\{([^{}\n]*)\}")


def fill(text: str, values: Mapping[str, str | None]) -> Filled:
    """Replace ``{name}`` by ``values[name]`` for names in :data:`PLACEHOLDERS`.

    ``{{`` and ``}}`` give literal braces. A value of ``None`` or ``""`` counts as
    missing: the placeholder stays visible rather than vanishing mid-sentence.
    Passing a name that is not in the set is a programming error (ValueError),
    and so is a value that is not a string: formatting is the caller's job.
    """
    for name, value in values.items():
        if name not in PLACEHOLDERS:
            raise ValueError(f"{name!r} is not a template placeholder")
        if value is not None and not isinstance(value, str):
            raise TypeError(f"the value for {name!r} must be text, not {type(value).__name__}")
    unknown: dict[str, None] = {}
    missing: dict[str, None] = {}

    def replace(match: re.Match[str]) -> str:
        token = match.group(0)
        if token == "{{":
            return "{"
        if token == "}}":
            return "}"
        name = match.group(1)
        if name not in PLACEHOLDERS:
            unknown[name] = None
            return token
        value = values.get(name)
        if not value:
            missing[name] = None
            return token
        return value

    return Filled(_TOKEN.sub(replace, text), tuple(unknown), tuple(missing))


def placeholders_in(text: str) -> tuple[list[str], list[str]]:
    """(known names, unknown names) a template uses, for an editor to check it."""
    known: dict[str, None] = {}
    unknown: dict[str, None] = {}
    for match in _TOKEN.finditer(text):
        name = match.group(1)
        if name is None:
            continue
        if name in PLACEHOLDERS:
            known[name] = None
        else:
            unknown[name] = None
    return list(known), list(unknown)


# --------------------------------------------------------------------------- #
# The shipped templates
# --------------------------------------------------------------------------- #

# A Markdown hard line break: two spaces before the newline keep the sign-off on
# separate lines when rendered, and are invisible in the plain-text email.
_BR = "  \n"

_EN: dict[str, tuple[str, str]] = {
    "checkin": (
        "Checking in",
        """Hello {first_name},

I hope all is well. I wanted to check in and see how things are going on your side.

Is there anything coming up that I can help with, or anything about our current work that you would like to change? Just reply to this email, or let me know a good time for a quick call.

Kind regards,""",
    ),
    "update": (
        "Progress update: {job}",
        """Hello {first_name},

Here is a quick update on {job}, so you know where things stand.

- Done since my last update:
- Next:
- Anything I need from you:

I am working to the agreed deadline of {deadline}. I will send you the next interim version as soon as it is ready, and keep you posted in the meantime.

Kind regards,""",
    ),
    "change": (
        "Change to {job}: a new proposal",
        """Hello {first_name},

Thank you for your message about {job}. You asked for this change: {change}. Yes, it can be done.

It is more than we originally agreed, though, so I'm afraid it will take longer and/or cost more, and we need to look at the price and the deadline again. Here is my new proposal:

{proposal}

I will wait for your answer before I start on the extra work. If it helps, we can go through it on a call.

Kind regards,""",
    ),
    "raise": (
        "A change to my rates",
        """Hello {first_name},

I have really enjoyed working with you, and I hope to keep doing so. I am writing because I need to raise my prices, and I would rather be clear with you about why.

My costs have gone up with inflation, and I now have more work available than I can take on, some of it better paid. My current rate of {rate} per {rate_unit} no longer covers my time, so my new rate will be {new_rate} per {rate_unit}.

Could we have a quick phone call to talk it over? Let me know a time that suits you.

Kind regards,""",
    ),
    "farewell": (
        "Thank you",
        """Hello {first_name},

Thank you for considering my new rate. I understand that it does not work for you, and I'm afraid that means I can no longer afford to work for you.

It has been a real pleasure working together, and I am grateful for everything we have done. I hope we will have the chance to work together again in the future. If anything changes, my contact details are below.

With best wishes,""",
    ),
    "invoice": (
        "Invoice {invoice_number}",
        """Hello {first_name},

Please find attached invoice {invoice_number}, dated {invoice_date}, for {total}.

{payment_terms} The due date is {due_date}.

Thank you for your business. Let me know if you have any questions.

Kind regards,""",
    ),
    # The guide's standard wording for an unpaid invoice, kept word for word.
    "reminder1": (
        "Invoice {invoice_number}",
        """Hello {first_name},

I'm a little concerned not to have heard back from you about my invoice and not to have received payment. I attach it again in case it didn't get through. Please let me know you have received it safely.

I request payment within {terms} of the invoice date, so please also let me know when you have paid, so I can look out for it.

Invoice {invoice_number}, dated {invoice_date}: {outstanding} outstanding, due on {due_date}.

Kind regards,""",
    ),
    "reminder2": (
        "Overdue: invoice {invoice_number}",
        """Hello {first_name},

I wrote to you on {last_reminder_date} about invoice {invoice_number}, dated {invoice_date}. It was due on {due_date}, and {outstanding} is still outstanding. I attach it again.

Please arrange payment now, and reply to let me know the date you will pay. If there is a problem with the invoice, please tell me today so that we can sort it out.

Kind regards,""",
    ),
    "final": (
        "Final notice: invoice {invoice_number}",
        """Hello {first_name},

This is a final notice about invoice {invoice_number}, dated {invoice_date} and due on {due_date}. Despite my earlier reminders, {outstanding} is still unpaid. I attach the invoice again.

Please pay the full amount by {pay_by}. If I have not received payment by then, I will call you to discuss it, and if that does not resolve it, I will start a formal claim to recover the debt.

I would much rather settle this between us, so please get in touch if there is anything I should know.

Regards,""",
    ),
    "statement": (
        "Statement of account",
        """Hello {first_name},

Here is a statement of everything outstanding on your account as of {today}:

{statement_lines}

**Total outstanding: {outstanding}**

I attach copies of these invoices. Please let me know if anything here does not match your records, and when I can expect payment.

Kind regards,""",
    ),
}

_ES: dict[str, tuple[str, str]] = {
    "checkin": (
        "¿Qué tal va todo?",
        """Hola, {first_name}:

Espero que todo vaya bien. Le escribo para saber qué tal van las cosas por su parte.

¿Hay algo próximo en lo que pueda ayudarle, o algo del trabajo actual que quiera cambiar? Puede responder a este correo o decirme cuándo le viene bien una llamada breve.

Un saludo,""",
    ),
    "update": (
        "Novedades sobre {job}",
        """Hola, {first_name}:

Le escribo para contarle cómo va {job}, para que sepa en qué punto estamos.

- Hecho desde mi última actualización:
- Siguiente paso:
- Lo que necesito de usted:

Sigo trabajando con el plazo acordado del {deadline}. Le enviaré la próxima versión provisional en cuanto esté lista y, mientras tanto, le mantendré al tanto.

Un saludo,""",
    ),
    "change": (
        "Cambio en {job}: nueva propuesta",
        """Hola, {first_name}:

Gracias por su mensaje sobre {job}. Me pide el siguiente cambio: {change}. Sí, se puede hacer.

Sin embargo, supone más trabajo del que acordamos, así que me temo que llevará más tiempo y/o costará más, y tendremos que volver a hablar del precio y del plazo. Esta es mi nueva propuesta:

{proposal}

Esperaré su respuesta antes de empezar con el trabajo adicional. Si le resulta útil, podemos comentarlo por teléfono.

Un saludo,""",
    ),
    "raise": (
        "Actualización de mis tarifas",
        """Hola, {first_name}:

Ha sido un placer trabajar con usted y espero seguir haciéndolo. Le escribo porque necesito subir mis precios y prefiero explicarle con claridad por qué.

Mis costes han aumentado con la inflación y ahora tengo más trabajo disponible del que puedo asumir, parte de él mejor pagado. Mi tarifa actual de {rate} por {rate_unit} ya no cubre mi tiempo, así que mi nueva tarifa será de {new_rate} por {rate_unit}.

¿Podríamos hablarlo en una breve llamada telefónica? Dígame qué momento le viene bien.

Un saludo,""",
    ),
    "farewell": (
        "Gracias",
        """Hola, {first_name}:

Gracias por considerar mi nueva tarifa. Entiendo que no le encaja y, por ello, me temo que ya no puedo permitirme seguir trabajando para usted.

Ha sido un verdadero placer trabajar juntos y le agradezco todo lo que hemos hecho. Espero que tengamos la oportunidad de volver a colaborar en el futuro. Si cambia de opinión, le dejo mis datos de contacto a continuación.

Con mis mejores deseos,""",
    ),
    "invoice": (
        "Factura {invoice_number}",
        """Hola, {first_name}:

Le adjunto la factura {invoice_number}, con fecha {invoice_date}, por un importe de {total}.

{payment_terms} La fecha de vencimiento es el {due_date}.

Gracias por su confianza. Quedo a su disposición para cualquier duda.

Un saludo,""",
    ),
    # The guide's wording, lightly corrected: gender-neutral ("me preocupa"), the
    # invoice is feminine ("se la adjunto"), and idiomatic ("por si no le hubiera
    # llegado", "confírmeme que la ha recibido correctamente").
    "reminder1": (
        "Factura {invoice_number}",
        """Hola, {first_name}:

Me preocupa un poco no haber tenido noticias suyas sobre mi factura y no haber recibido el pago. Se la adjunto de nuevo por si no le hubiera llegado. Por favor, confírmeme que la ha recibido correctamente.

Solicito el pago en un plazo de {terms} a partir de la fecha de la factura, así que le ruego que me avise también cuando haya pagado, para que pueda estar pendiente del pago.

Factura {invoice_number}, con fecha {invoice_date}: importe pendiente de {outstanding}, con vencimiento el {due_date}.

Un saludo,""",
    ),
    "reminder2": (
        "Factura vencida: {invoice_number}",
        """Hola, {first_name}:

Le escribí el {last_reminder_date} sobre la factura {invoice_number}, con fecha {invoice_date}. Venció el {due_date} y sigue pendiente un importe de {outstanding}. Se la adjunto de nuevo.

Le ruego que realice el pago cuanto antes y que me responda indicando la fecha en que lo hará. Si hay algún problema con la factura, dígamelo hoy mismo para que podamos resolverlo.

Un saludo,""",
    ),
    "final": (
        "Último aviso: factura {invoice_number}",
        """Hola, {first_name}:

Este es un último aviso sobre la factura {invoice_number}, con fecha {invoice_date} y vencimiento el {due_date}. A pesar de mis recordatorios anteriores, sigue pendiente de pago un importe de {outstanding}. Le adjunto de nuevo la factura.

Le ruego que abone el importe completo a más tardar el {pay_by}. Si para entonces no he recibido el pago, le llamaré para hablarlo y, si así no se resuelve, iniciaré una reclamación formal para recuperar la deuda.

Preferiría con mucho resolverlo entre nosotros, así que no dude en ponerse en contacto conmigo si hay algo que deba saber.

Atentamente,""",
    ),
    "statement": (
        "Resumen de facturas pendientes",
        """Hola, {first_name}:

Le envío un resumen de todo lo pendiente de pago en su cuenta a fecha {today}:

{statement_lines}

**Total pendiente: {outstanding}**

Le adjunto copia de estas facturas. Por favor, avíseme si algo no coincide con sus registros y cuándo puedo esperar el pago.

Un saludo,""",
    ),
}

_TEXTS: dict[Language, dict[str, tuple[str, str]]] = {Language.EN: _EN, Language.ES: _ES}


def default_template(name: str, language: Language | str) -> Template:
    """The shipped template ``name`` in ``language``, as a new (unsaved) document.

    Drafting falls back to this when the person deleted their copy. Every body
    ends with the sign-off line and ``{signature}`` on the line below.
    """
    lang = Language(language)
    try:
        subject, body = _TEXTS[lang][name]
    except KeyError:
        raise KeyError(f"no shipped template named {name!r}") from None
    return Template(name=name, language=lang, subject=subject, body=body + _BR + "{signature}\n")


def default_templates() -> list[Template]:
    """Every shipped template in every language: what a new data file starts with."""
    return [default_template(name, lang) for lang in Language for name in TEMPLATE_NAMES]
