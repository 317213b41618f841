"""The screens' words in the configured language: a small dictionary, English default.

``tr(lang, text, **values)`` looks the English text up in the Spanish table and
fills ``{placeholders}`` with ``str.format`` on values given by the code (never on
text typed by the person). An English text with no translation is shown as is,
so a missing entry degrades to English, never to an error.

Dates: :func:`short_date` is ISO in English and ``DD/MM/YYYY`` in Spanish (what
the Spanish forms accept); :func:`long_date` names the weekday and month in the
language (pendulum's locale for Spanish: "viernes 27 de noviembre de 2026").
"""

from __future__ import annotations

import datetime as dt

ES: dict[str, str] = {
    # Agenda section titles
    "Reminders due": "Recordatorios pendientes",
    "Overdue invoices": "Facturas vencidas",
    "Invoices due soon": "Facturas que vencen pronto",
    "Check-ins due": "Contactos pendientes",
    "Promises": "Promesas",
    "Deadlines": "Plazos de entrega",
    "To invoice": "Por facturar",
    "Awaiting reply": "Esperando respuesta",
    "Rate reviews": "Revisión de tarifas",
    # Agenda summary
    "{n} thing to look at today": "{n} cosa que revisar hoy",
    "{n} things to look at today": "{n} cosas que revisar hoy",
    "All clear": "Todo en orden",
    "Nothing due today. Enjoy the work itself.": "Nada pendiente hoy. Disfrute del trabajo.",
    # Agenda "when"
    "{n}d late": "{n}d tarde",
    "today": "hoy",
    "in {n}d": "en {n}d",
    "{n}d": "{n}d",
    "{n} mo": "{n} m",
    # Agenda "what"
    "{number}: escalate, {n} reminders sent (call, write off or claim)":
        "{number}: escalar, {n} recordatorios enviados (llamar, dar por perdida o reclamar)",
    "{number}: send reminder {level}": "{number}: enviar recordatorio {level}",
    "{number}: call, write off or claim": "{number}: llamar, dar por perdida o reclamar",
    "{number}: called {date}: write off or claim": "{number}: llamada el {date}: dar por perdida o reclamar",
    ", final notice: pay by {date}": ", último aviso: pagar antes del {date}",
    ", next reminder {date}": ", próximo recordatorio {date}",
    "late payer": "paga tarde",
    "[late] ": "[tarde] ",
    " (final)": " (último)",
    "{number} overdue": "{number} vencida",
    ", {n} reminder sent": ", {n} recordatorio enviado",
    ", {n} reminders sent": ", {n} recordatorios enviados",
    ", on hold": ", en espera",
    "{number} due {date}": "{number} vence el {date}",
    "Check in (last contact {date})": "Contactar (último: {date})",
    "Check in (never contacted)": "Contactar (nunca contactado)",
    "Deadline {date}: {job}": "Plazo {date}: {job}",
    "Invoice {job} (delivered {date})": "Facturar {job} (entregado {date})",
    "Retainer {period}: {what}": "Cuota {period}: {what}",
    "Invoice {job} within {hours} h": "Facturar {job} en {hours} h",
    "No answer to change: {what}": "Sin respuesta al cambio: {what}",
    "No answer to price raise: {what}": "Sin respuesta: {what}",
    "Price raise to {rate}/{unit}": "subida de tarifa a {rate}/{unit}",
    "Rate {rate}/{unit} since {date}": "Tarifa {rate}/{unit} desde {date}",
    "hour": "hora",
    "day": "día",
    "project": "proyecto",
    # Agenda keys
    "Open": "Abrir",
    "Undo": "Deshacer",
    "saved · u undo": "guardado · u deshace",
    "Nothing to undo": "Nada que deshacer",
    "Undone: {what}": "Deshecho: {what}",
    "Log": "Anotar",
    "Draft": "Carta",
    "Pay": "Pago",
    "Snooze": "Aplazar",
    "Done": "Hecho",
    "Kept": "Cumplida",
    "Broken": "Incumplida",
    "Dropped": "Retirada",
    "Invoice": "Facturar",
    "Accept": "Aceptar",
    "Decline": "Rechazar",
    "Raise": "Subir",
    "Screens": "Vistas",
    "Help": "Ayuda",
    "Quit": "Salir",
    # The Agenda of a file with no clients: the welcome (tui.screens.agenda)
    "New client": "Nuevo cliente",
    "Your name": "Su nombre",
    "Demo": "Ejemplo",
    "Welcome to rapport": "Le damos la bienvenida a rapport",
    "rapport keeps your client relationships healthy. Every morning this screen lists "
    "who to get in touch with, the promises falling due, the work to invoice and the "
    "invoices to chase, and drafts a polite message for each.":
        "rapport cuida la relación con sus clientes. Cada mañana esta pantalla muestra con "
        "quién ponerse en contacto, las promesas que vencen, el trabajo por facturar y las "
        "facturas que reclamar, y redacta un mensaje cortés para cada caso.",
    "To start:": "Para empezar:",
    "Your name and sign-off, to sign your messages": "Su nombre y su firma, para firmar sus mensajes",
    "Add your first client: it shows here, and l logs your first contact":
        "Añada su primer cliente: aparecerá aquí, y l anota su primer contacto",
    "Or look around first, with demo data (u takes it back)":
        "O eche antes un vistazo, con datos de ejemplo (u lo deshace)",
    "Every change is saved at once. ? lists every key.":
        "Cada cambio se guarda al momento. ? muestra todas las teclas.",
    # The draft preview: placeholders left unfilled (tui.draft)
    "or": "o",
    "{placeholder} is empty: set {which} in Settings (,)": "{placeholder} está vacío: rellene {which} en Ajustes (,)",
    "Nothing to fill {names} with here: edit the draft (e)":
        "Nada con que rellenar {names} aquí: edite el borrador (e)",
    "Unknown placeholders left as typed: {names}": "Marcadores desconocidos, tal como se escribieron: {names}",
    "{names} still unfilled in this message. ": "{names} sin rellenar en este mensaje. ",
    "Mark it sent as it is?": "¿Marcarlo como enviado así?",
    "Pipe it to the mail command as it is?": "¿Pasarlo así a la orden de correo?",
    "Mark sent": "Marcar enviado",
    "Pipe it": "Pasarlo",
    # Waiting for another session (tui.safe_app)
    "waiting for another rapport session…": "esperando a otra sesión de rapport…",
    "Clients": "Clientes",
    "Overdue board": "Facturas vencidas",
    "Invoices": "Facturas",
    "Jobs": "Trabajos",
}

TABLES = {"es": ES}


def tr(lang: str, text: str, **values: object) -> str:
    """``text`` in ``lang`` (English when there is no translation), filled."""
    out = TABLES.get(lang, {}).get(text, text)
    return out.format(**values) if values else out


def short_date(day: dt.date, lang: str) -> str:
    return day.strftime("%d/%m/%Y") if lang == "es" else day.isoformat()


_EN_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_EN_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
              "September", "October", "November", "December")


def long_date(day: dt.date, lang: str) -> str:
    """The header's date: "Friday 27 November 2026", "viernes 27 de noviembre de 2026".

    English is spelled here (not ``strftime``, which follows the process locale,
    ``LC_ALL=C`` over SSH included); Spanish uses pendulum's locale.
    """
    if lang == "es":
        import pendulum  # lazy: ~60 ms, for a Spanish date only

        return pendulum.date(day.year, day.month, day.day).format("dddd D [de] MMMM [de] YYYY", locale="es")
    return f"{_EN_DAYS[day.weekday()]} {day.day} {_EN_MONTHS[day.month - 1]} {day.year}"


