"""About my loved one: optional, private, encrypted; it tailors the safety notes in the journeys."""

from __future__ import annotations

import flet as ft

from app.domain import LovedOne
from app.i18n import _
from screens import messages
from screens.steps import check_row
from screens.widgets import Screen, body, heading, labelled, page_body, small, snack

RELATIONSHIPS = (("partner", lambda: _("My partner")), ("child", lambda: _("My child")),
                 ("parent", lambda: _("My parent")), ("sibling", lambda: _("My brother or sister")),
                 ("friend", lambda: _("A friend")), ("other", lambda: _("Someone else")))
SUBSTANCES = (("alcohol", lambda: _("Alcohol")),
              ("opioids", lambda: _("Opioids (heroin, fentanyl, painkillers such as oxycodone)")),
              ("benzodiazepines", lambda: _("Benzodiazepines (such as diazepam or alprazolam)")),
              ("stimulants", lambda: _("Stimulants (cocaine, methamphetamine)")),
              ("cannabis", lambda: _("Cannabis")), ("other", lambda: _("Something else, or I'm not sure")))
VIOLENCE = (("yes", lambda: _("Yes")), ("no", lambda: _("No")), ("prefer_not", lambda: _("I'd rather not say")))


async def build(shell) -> Screen:
    page = shell.page
    current = await shell.services.journeys.loved_one()
    chosen = set(current.substances)
    relationship = ft.RadioGroup(value=current.relationship, content=ft.Column(
        [ft.Radio(value=k, label=t()) for k, t in RELATIONSHIPS], spacing=0, tight=True))
    violence = ft.RadioGroup(value=current.violence, content=ft.Column(
        [ft.Radio(value=k, label=t()) for k, t in VIOLENCE], spacing=0, tight=True))

    def toggle(key: str, on: bool):
        (chosen.add if on else chosen.discard)(key)

    substances = ft.Column([check_row(t(), k in chosen, lambda e, k=k: toggle(k, bool(e.control.value)))
                            for k, t in SUBSTANCES], spacing=0, tight=True)

    async def save(e):
        try:
            await shell.services.journeys.save_loved_one(LovedOne(
                relationship=relationship.value, violence=violence.value,
                substances=tuple(k for k, _t in SUBSTANCES if k in chosen)))
        except Exception as exc:  # noqa: BLE001
            snack(page, messages.describe(exc, what="loved one not saved"))
            return
        await shell.go("/journeys", message=_("Saved. The journeys will show the safety notes that fit."))

    controls = [
        body(_("This is optional. It stays on this phone, encrypted, and is never shared. It lets the journeys "
               "show safety notes that fit your situation.")),
        heading(_("Who is your loved one to you?"), level="section"),
        labelled(_("Who is your loved one to you?"), relationship),
        heading(_("What are they using?"), level="section"),
        small(_("Choose all that apply.")),
        substances,
        heading(_("Has there been violence or threats at home?"), level="section"),
        labelled(_("Has there been violence or threats at home?"), violence),
        ft.FilledButton(_("Save"), icon=ft.Icons.SAVE_OUTLINED, on_click=save),
    ]
    return Screen(title=_("About my loved one"), controls=[page_body(controls)])
