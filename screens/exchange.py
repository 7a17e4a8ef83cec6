"""Export everything to one protected file, and import such a file on another device."""

from __future__ import annotations

import flet as ft

from app.i18n import _, format_number, ngettext
from screens import messages
from screens.pin import secret_field
from screens.widgets import Screen, body, card, heading, page_body, small


def _busy(text: str) -> ft.Control:
    return ft.Row([ft.ProgressRing(width=20, height=20, stroke_width=3), small(text)], visible=False, spacing=12)


async def build_export(shell) -> Screen:
    page, services = shell.page, shell.services
    passphrase = secret_field(_("A passphrase for this file"))
    again = secret_field(_("The passphrase again"))
    error = ft.Text(color=ft.Colors.ERROR, visible=False)
    done = ft.Text(color=ft.Colors.PRIMARY, visible=False)
    busy = _busy(_("Preparing your file..."))

    async def export(e):
        error.visible = done.visible = False
        if (passphrase.value or "") != (again.value or ""):
            error.value, error.visible = messages.text("pin_mismatch"), True
            page.update()
            return
        e.control.disabled, busy.visible = True, True
        page.update()
        try:
            file = await services.exchange.export_file(passphrase.value or "", name_prefix=shell.file_prefix)
            async with services.privacy.away():  # a phone's save dialog sends Regroup to the background
                await ft.FilePicker().save_file(dialog_title=_("Save your file"), file_name=file.name,
                                                src_bytes=file.data)
        except Exception as exc:  # noqa: BLE001 - say why; nothing was changed
            error.value, error.visible = messages.describe(exc, what="export failed"), True
        else:
            passphrase.value = again.value = ""
            done.value = _("Your file is ready: {name}. Keep the passphrase somewhere safe.").format(name=file.name)
            done.visible = True
        e.control.disabled, busy.visible = False, False
        page.update()

    controls = [
        heading(_("Save a copy of everything"), level="display"),
        body(_("One file with everything you wrote and chose in Regroup: your journal, check-ins, answers, "
               "progress and settings. Use it to move to a new phone, or to keep a copy.")),
        card(heading(_("The passphrase protects the file"), level="section"),
             body(_("Anyone with the file and the passphrase can read everything in it. Without the passphrase, "
                    "nobody can, not even you: write it down somewhere safe, away from the file.")),
             tone="notice"),
        passphrase, again,
        small(_("At least 12 characters. A few words you will remember work well.")),
        error, done, busy,
        ft.FilledButton(_("Save the file"), icon=ft.Icons.SAVE_ALT, on_click=export),
    ]
    return Screen(title=_("Export"), controls=[page_body(controls)])


def _summary(result) -> str:
    entries = result.by_table.get("journal_entries", {}).get("added", 0)
    checkins = result.by_table.get("checkins", {}).get("added", 0)
    others = result.added - entries - checkins
    parts = [ngettext("{n} journal entry", "{n} journal entries", entries).format(n=format_number(entries)),
             ngettext("{n} check-in", "{n} check-ins", checkins).format(n=format_number(checkins)),
             ngettext("{n} other record", "{n} other records", others).format(n=format_number(others))]
    text = _("Imported: {list}.").format(list=", ".join(parts))
    if result.updated:
        text += " " + ngettext("{n} record was replaced by a newer copy from the file.",
                               "{n} records were replaced by newer copies from the file.",
                               result.updated).format(n=format_number(result.updated))
    if result.kept:
        text += " " + ngettext("{n} was already here, as new or newer, and stayed as it was.",
                               "{n} were already here, as new or newer, and stayed as they were.",
                               result.kept).format(n=format_number(result.kept))
    return text


async def build_import(shell) -> Screen:
    page, services = shell.page, shell.services
    chosen: dict = {}
    name = small("")
    passphrase = secret_field(_("The file's passphrase"))
    passphrase.visible = False
    error = ft.Text(color=ft.Colors.ERROR, visible=False)
    done = ft.Text(color=ft.Colors.PRIMARY, visible=False)
    busy = _busy(_("Importing..."))
    go = ft.FilledButton(_("Import"), icon=ft.Icons.DOWNLOAD, visible=False)

    def show_error(exc) -> None:
        error.value, error.visible = messages.describe(exc, what="import refused"), True

    async def choose(e):
        error.visible = done.visible = False
        try:
            async with services.privacy.away():
                files = await ft.FilePicker().pick_files(dialog_title=_("Choose your Regroup file"),
                                                         file_type=ft.FilePickerFileType.CUSTOM,
                                                         allowed_extensions=["json"], with_data=True)
            if not files:
                return
            await services.exchange.check_file(files[0].bytes or b"")
        except Exception as exc:  # noqa: BLE001
            show_error(exc)
            passphrase.visible = go.visible = False
        else:
            chosen.update(data=files[0].bytes)
            name.value = _("Chosen: {name}").format(name=files[0].name)
            passphrase.visible = go.visible = True
        page.update()

    async def run_import(e):
        error.visible = done.visible = False
        go.disabled, busy.visible = True, True
        page.update()
        try:
            result = await services.exchange.import_file(chosen.get("data") or b"", passphrase.value or "")
        except Exception as exc:  # noqa: BLE001
            show_error(exc)
        else:
            done.value, done.visible = _summary(result), True
            passphrase.value, passphrase.visible, go.visible = "", False, False
            chosen.clear()
        go.disabled, busy.visible = False, False
        page.update()

    go.on_click = run_import
    controls = [
        heading(_("Bring in a saved file"), level="display"),
        body(_("Choose a file you exported from Regroup, for example on your old phone.")),
        card(body(_("Nothing is duplicated, and nothing here is replaced by an older copy: where both have the "
                    "same entry, the newer one stays. What you import stays private to this device until you "
                    "choose to share it.")), tone="notice"),
        ft.OutlinedButton(_("Choose the file"), icon=ft.Icons.FOLDER_OPEN, on_click=choose),
        name, passphrase, error, done, busy, go,
    ]
    return Screen(title=_("Import"), controls=[page_body(controls)])
