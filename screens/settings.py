"""Settings: language, country, name, theme, text size and motion; each saved as soon as it changes."""

from __future__ import annotations

import flet as ft

from app.domain import TEXT_SCALES
from app.i18n import _, available_languages, country_name, format_hhmm, language_name
from screens.pickers import choose_country
from screens.widgets import Screen, heading, labelled, page_body, small, snack


async def build(shell) -> Screen:
    page, s = shell.page, shell.settings

    async def save(**changes):
        if await shell.update_settings(**changes):
            await shell.refresh()
            snack(page, _("Saved"))

    async def switch_language(code: str):
        if await shell.choose_language(code):  # the whole app redraws in the new language
            snack(page, _("Saved"))

    # Radios, not segments: at 200% text a third of a 360 px row breaks "System" mid-word
    theme = ft.RadioGroup(
        value=s.theme,
        content=ft.Column([ft.Radio(value="system", label=_("System")), ft.Radio(value="light", label=_("Light")),
                           ft.Radio(value="dark", label=_("Dark"))], tight=True),
        on_change=lambda e: page.run_task(save, theme=e.control.value),
    )
    languages = ft.RadioGroup(
        value=s.language,
        content=ft.Column([ft.Radio(value=c, label=language_name(c)) for c in available_languages()], tight=True),
        on_change=lambda e: page.run_task(switch_language, e.control.value),
    )
    sizes = ft.RadioGroup(
        value=str(s.text_scale),
        content=ft.Column([ft.Radio(value=str(n), label=text_size_name(n)) for n in TEXT_SCALES], tight=True),
        on_change=lambda e: page.run_task(save, text_scale=int(e.control.value)),
    )
    motion = ft.Switch(label=_("Reduce motion"), value=s.reduce_motion,
                       on_change=lambda e: page.run_task(save, reduce_motion=bool(e.control.value)))
    device_note = ([small(_("Your device asks for less motion, so Regroup shows none."))]
                   if shell.device_reduce_motion else [])
    name = ft.TextField(label=_("Your first name (optional)"), value=s.display_name or "", max_length=80,
                        capitalization=ft.TextCapitalization.WORDS, autocorrect=False,
                        on_submit=lambda e: page.run_task(save, display_name=name.value))
    country = shell.country

    async def picked(code: str):
        await save(country=code)

    # A choice of one is no choice: the language group appears once a second catalog exists.
    language_part = ([heading(_("Language"), level="section"), labelled(_("Language"), languages)]
                     if len(available_languages()) > 1 else [])
    controls = [
        heading(_("Theme"), level="section"),
        labelled(_("Theme"), theme),
        heading(_("Text size"), level="section"),
        small(_("Makes all the words in Regroup larger. It changes at once.")),
        labelled(_("Text size"), sizes),
        heading(_("Motion"), level="section"),
        small(_("Stops the breathing circle and the sliding between screens.")),
        motion,
        *device_note,
        *language_part,
        heading(_("Country"), level="section"),
        small(_("Used for the numbers on Get help now.")),
        ft.Text(country_name(country) if country else _("Not chosen yet"), theme_style=ft.TextThemeStyle.BODY_LARGE),
        ft.OutlinedButton(_("Change country"), icon=ft.Icons.PUBLIC,
                          on_click=lambda e: choose_country(page, shell.services.help_countries(), country, picked)),
        heading(_("Daily check-in time"), level="section"),
        small(_("Today shows your check-in as due after this time. Regroup never nags and keeps no streaks.")),
        ft.Text(format_hhmm(s.checkin_time) if s.checkin_time else _("No set time"),
                theme_style=ft.TextThemeStyle.BODY_LARGE),
        ft.OutlinedButton(_("Change check-in time"), icon=ft.Icons.SCHEDULE,
                          on_click=lambda e: _choose_time(page, s.checkin_time, lambda t: save(checkin_time=t))),
        heading(_("Your name"), level="section"),
        name,
        ft.FilledTonalButton(_("Save name"), icon=ft.Icons.SAVE_OUTLINED,
                             on_click=lambda e: page.run_task(save, display_name=name.value)),
    ]
    return Screen(title=_("Settings"), controls=[page_body(controls)])


def text_size_name(percent: int) -> str:
    return (_("{percent}% (standard)") if percent == 100 else _("{percent}%")).format(percent=percent)


def _choose_time(page: ft.Page, current, on_pick) -> None:
    async def pick(value):
        page.pop_dialog()
        await on_pick(value)
    times = [None] + [f"{h:02d}:00" for h in range(7, 23)]
    page.show_dialog(ft.AlertDialog(
        title=ft.Text(_("Daily check-in time")),
        content=ft.Column([ft.ListTile(title=ft.Text(format_hhmm(t) if t else _("No set time")), min_height=48,
                                       trailing=ft.Icon(ft.Icons.CHECK, semantics_label=_("Selected"))
                                       if t == current else None,
                                       on_click=lambda e, t=t: page.run_task(pick, t)) for t in times],
                          tight=True, scroll=ft.ScrollMode.AUTO),
        actions=[ft.TextButton(_("Cancel"), on_click=lambda e: page.pop_dialog())]))
