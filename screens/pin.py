"""Set or change the PIN or passphrase, with honest words about what each protects against."""

from __future__ import annotations

import flet as ft

from app.i18n import _
from screens import messages
from screens.widgets import Screen, body, card, heading, icon_button, page_body, small


def secret_field(label: str, *, digits: bool = False, autofocus: bool = False) -> ft.TextField:
    """A hidden field with a named show/hide button (Flet's own reveal button has no screen-reader name)."""
    field = ft.TextField(label=label, password=True, autofocus=autofocus, autocorrect=False,
                         enable_suggestions=False,
                         keyboard_type=ft.KeyboardType.NUMBER if digits else ft.KeyboardType.TEXT)

    def toggle(e):
        field.password = not field.password
        field.suffix = reveal()
        field.update()

    def reveal():
        return icon_button(ft.Icons.VISIBILITY if field.password else ft.Icons.VISIBILITY_OFF,
                           _("Show what I typed") if field.password else _("Hide what I typed"), toggle)
    field.suffix = reveal()
    return field


def honest_words(kind: str) -> list[ft.Control]:
    """What a PIN buys and what it does not (README, "PIN lock"); shown before one is set."""
    return [
        card(heading(_("What the lock protects"), level="section"),
             body(_("Someone who picks up your phone sees only the lock screen. After three wrong tries they "
                    "must wait, longer each time, up to an hour. Wrong tries never delete anything.")),
             tone="notice"),
        card(heading(_("What a short PIN cannot do"), level="section"),
             body(_("A 4-digit PIN has 10,000 possibilities. Someone who copies Regroup's files off this device "
                    "can try them all on an ordinary computer in under an hour, with no waiting. Longer PINs "
                    "only slow that down.")),
             body(_("A passphrase of four or more words you would never say together protects against that too: "
                    "with it, a copy of the files reveals nothing.")),
             tone="plain" if kind == "passphrase" else "warning"),
        card(heading(_("If you forget it"), level="section"),
             body(_("Nobody can open your journal without it: not Regroup, not your specialist. There is no "
                    "reset. Before you set it, you may want to save a copy of your data.")),
             tone="plain"),
    ]


async def build(shell, kind: str) -> Screen:
    page, privacy = shell.page, shell.services.privacy
    changing = privacy.has_secret
    is_pin = kind == "pin"
    current = secret_field(_("Current PIN or passphrase"))
    new = secret_field(_("New PIN (4 to 8 digits)") if is_pin else _("New passphrase"), digits=is_pin)
    again = secret_field(_("The new PIN again") if is_pin else _("The new passphrase again"), digits=is_pin)
    error = ft.Text(color=ft.Colors.ERROR, visible=False)

    async def save(e):
        error.visible = False
        if (new.value or "") != (again.value or ""):
            error.value, error.visible = messages.text("pin_mismatch"), True
            page.update()
            return
        e.control.disabled = True
        page.update()
        try:
            await privacy.set_secret(new.value or "", kind, current=current.value if changing else None)
        except Exception as exc:  # noqa: BLE001 - say why; nothing was changed
            e.control.disabled = False
            error.value, error.visible = messages.describe(exc, what="lock not set"), True
            current.value = new.value = again.value = ""
            page.update()
            return
        done = _("Your PIN is set.") if is_pin else _("Your passphrase is set.")
        await shell.go("/privacy", message=done + " " + _("Regroup will ask for it when it opens."))

    other = "passphrase" if is_pin else "pin"
    controls = [
        heading(_("Lock Regroup with a PIN") if is_pin else _("Lock Regroup with a passphrase"), level="display"),
        *honest_words(kind),
        ft.OutlinedButton(_("Save a copy of my data first"), icon=ft.Icons.SAVE_ALT,
                          on_click=lambda e: page.run_task(shell.go, "/export")),
        *([current] if changing else []),
        new, again,
        small(_("Four or more words work well, for example: harbour tea violin Tuesday.")) if not is_pin else
        small(_("Avoid birthdays and 1234.")),
        error,
        ft.FilledButton(_("Set PIN") if is_pin else _("Set passphrase"), icon=ft.Icons.LOCK,
                        on_click=save),
        ft.TextButton(_("Use a passphrase instead") if is_pin else _("Use a PIN instead"),
                      on_click=lambda e: page.run_task(shell.go, f"/{other}")),
    ]
    return Screen(title=_("PIN") if is_pin else _("Passphrase"), controls=[page_body(controls)])


async def build_pin(shell) -> Screen:
    return await build(shell, "pin")


async def build_passphrase(shell) -> Screen:
    return await build(shell, "passphrase")


async def build_offer(shell) -> Screen:
    """Offered once, at the end of the welcome: a lock, or not now (it is always in Privacy and your data)."""
    run = shell.page.run_task
    controls = [
        heading(_("One more choice: a lock"), level="display"),
        body(_("If other people use this device, you can lock Regroup with a PIN or a passphrase. You can "
               "also do this later in More, Privacy and your data.")),
        ft.FilledButton(_("Set a PIN"), icon=ft.Icons.PIN_OUTLINED,
                        on_click=lambda e: run(shell.go, "/pin")),
        ft.OutlinedButton(_("Use a passphrase"), icon=ft.Icons.PASSWORD,
                          on_click=lambda e: run(shell.go, "/passphrase")),
        ft.TextButton(_("Not now"), on_click=lambda e: run(shell.go, "/today")),
    ]
    return Screen(title=_("A lock"), controls=[page_body(controls)])
