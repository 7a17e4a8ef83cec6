"""First-run welcome: what Regroup is and is not, language, country, an optional first name."""

from __future__ import annotations

import flet as ft

from app.i18n import _, available_languages, country_name, language_name
from screens.pickers import choose_country
from screens.widgets import Screen, body, card, heading, labelled, page_body, small


async def build(shell) -> Screen:
    page = shell.page
    state = {"language": shell.settings.language, "country": shell.country}

    country_text = ft.Text(theme_style=ft.TextThemeStyle.BODY_LARGE)

    def show_country():
        country_text.value = (_("Country: {country}").format(country=country_name(state["country"]))
                              if state["country"] else _("Country: not chosen yet"))

    async def picked(code: str):
        state["country"] = code
        await shell.choose_country(code)
        show_country()
        page.update()

    show_country()
    languages = ft.RadioGroup(
        value=state["language"],
        content=ft.Column([ft.Radio(value=code, label=language_name(code)) for code in available_languages()],
                          tight=True),
        on_change=lambda e: page.run_task(shell.choose_language, e.control.value),  # the screen redraws at once
    )
    name = ft.TextField(label=_("Your first name (optional)"), max_length=80, value=shell.welcome.get("name", ""),
                        capitalization=ft.TextCapitalization.WORDS, autocorrect=False,
                        on_change=lambda e: shell.welcome.update(name=e.control.value))
    error = ft.Text(color=ft.Colors.ERROR, visible=False)

    async def finish(e):
        e.control.disabled = True
        page.update()
        ok = await shell.update_settings(language=shell.settings.language, country=state["country"],
                                         display_name=name.value, onboarded=True)
        if ok:
            await shell.go("/protect")  # the lock is offered once, at the end of the welcome
        else:
            e.control.disabled = False
            error.value = _("Your choices could not be saved. Please try again.")
            error.visible = True
            page.update()

    controls = [
        heading(_("Welcome to Regroup"), level="display"),
        body(_("After an intervention that did not go as hoped, it is normal to feel lost, hurt or "
               "worn out. Regroup walks with you between sessions with your specialist: guided steps, "
               "a private journal, daily check-ins, and a plan for what to try next.")),
        card(
            heading(_("What Regroup is not"), level="section"),
            body(_("Regroup is not a crisis service and does not replace professional help. "
                   "If anyone is in danger, tap Get help now at the top of any screen.")),
            tone="notice"),
        body(_("What you write stays on this phone, encrypted. Nothing is shared unless you choose to.")),
        heading(_("Language"), level="section"),
        labelled(_("Language"), languages),
        heading(_("Country"), level="section"),
        small(_("So that Get help now shows the right numbers.")),
        country_text,
        ft.OutlinedButton(_("Choose country"), icon=ft.Icons.PUBLIC,
                          on_click=lambda e: choose_country(page, shell.services.help_countries(),
                                                            state["country"], picked)),
        heading(_("What should we call you?"), level="section"),
        name,
        error,
        ft.FilledButton(_("Start using Regroup"), icon=ft.Icons.ARROW_FORWARD, on_click=finish),
    ]
    return Screen(title=_("Welcome"), controls=[page_body(controls)])
