"""Get help now: the right numbers for the person's country, offline, one tap from anywhere."""

from __future__ import annotations

from urllib.parse import urlparse

import flet as ft

from app.crisis import CountryHelp, HelpLine
from app.i18n import _, country_name, current_language, format_date
from screens.pickers import choose_country
from screens.widgets import Screen, body, card, heading, page_body, small

SECTIONS = (
    ("emergency", lambda: _("Emergency"), None),
    ("crisis", lambda: _("Crisis and suicide lines"),
     lambda: _("If you or someone else might not be safe, or is thinking about suicide.")),
    ("poison", lambda: _("Poisons and overdoses"),
     lambda: _("If someone swallowed or took something and you are not sure it is dangerous. If they cannot be "
               "woken or are not breathing normally, call the emergency number first.")),
    ("medical_advice", lambda: _("Medical advice, when it is not an emergency"), None),
    ("substance_use", lambda: _("Drug and alcohol help (not crisis lines)"),
     lambda: _("Information and treatment referrals for you or your loved one. In a crisis, use the numbers above.")),
    ("find_care", lambda: _("Finding treatment"), None),
    ("domestic_violence", lambda: _("Violence or abuse at home"),
     lambda: _("Your safety comes first. These lines are confidential.")),
    ("family_support", lambda: _("Support for families"), None),
)
# Who a line is for, in words ("anyone" says nothing: most lines are for everyone).
SERVES = {"women": lambda: _("women"), "men": lambda: _("men"), "children": lambda: _("children"),
          "young_people": lambda: _("young people"), "parents": lambda: _("parents"),
          "families": lambda: _("families and friends"), "lgbtq": lambda: _("LGBTQ+ people")}


def serves_text(serves: tuple[str, ...]) -> str | None:
    """"For women", "For parents and families and friends": who a line is for, unless it is for anyone."""
    words = [SERVES[k]() for k in serves if k in SERVES]
    return _("For {who}").format(who=_(" and ").join(words)) if words and "anyone" not in serves else None


def _line_card(line: HelpLine) -> ft.Control:
    buttons: list[ft.Control] = []
    if line.phone:
        buttons.append(ft.FilledButton(_("Call {number}").format(number=line.display),
                                       icon=ft.Icons.CALL, url=f"tel:{line.phone}"))
    if line.sms:
        target = line.sms if line.sms.isdigit() else None
        label = _("Text {number}").format(number=line.sms)
        buttons.append(ft.OutlinedButton(label, icon=ft.Icons.SMS_OUTLINED,
                                         url=f"sms:{target}" if target else None))
    if line.url:
        domain = urlparse(line.url).netloc.removeprefix("www.")
        buttons.append(ft.TextButton(domain, icon=ft.Icons.OPEN_IN_NEW, url=line.url))
    who = serves_text(line.serves)
    return card(
        ft.Text(line.name_in(current_language()), theme_style=ft.TextThemeStyle.TITLE_MEDIUM, weight=ft.FontWeight.W_600),
        *([small(who)] if who else []),
        body(line.description(current_language())),
        small(_("Hours: {hours}").format(hours=line.hours_in(current_language()))),
        ft.Row(buttons, wrap=True, spacing=8, run_spacing=8),
        small(_("Source: {org}, {url}. Compiled {date}.").format(
            org=line.source.org, url=line.source.url, date=format_date(line.compiled))),
    )


def _gap_card(gap) -> ft.Control:
    """An honest "we know no line for this": who it would be for, and what to do instead."""
    who = serves_text(gap.serves)
    return card(*([small(_("No line we know of: {who}").format(who=who.lower() if who else ""))] if who else []),
                body(gap.note(current_language())), tone="plain")


def _country_lines(help: CountryHelp) -> list[ft.Control]:
    controls: list[ft.Control] = []
    for kind, title, intro in SECTIONS[1:]:  # the emergency line stands at the top
        lines, gaps = help.of_kind(kind), help.gaps_of_kind(kind)
        if not lines and not gaps:
            continue
        controls.append(heading(title(), level="section"))
        if intro:
            controls.append(body(intro(), muted=True))
        controls.extend(_line_card(line) for line in lines)
        controls.extend(_gap_card(gap) for gap in gaps)
    return controls


async def build(shell) -> Screen:
    services = shell.services
    code = shell.country
    help = services.crisis.get(code) if services.crisis else None
    fallback = services.crisis.international if services.crisis and help is None else None

    async def picked(new_code: str):
        await shell.choose_country(new_code)
        await shell.refresh()

    change = ft.OutlinedButton(_("Change country"), icon=ft.Icons.PUBLIC,
                               on_click=lambda e: choose_country(shell.page, services.help_countries(),
                                                                 code, picked))
    controls: list[ft.Control] = []
    flash = shell.take_flash() if shell.flash and "help_note" in shell.flash else None
    if flash:
        controls.append(card(body(flash["help_note"]), tone="notice"))
    if help is None:
        controls.append(card(
            heading(_("If someone is in danger now"), level="section"),
            body(_("Call your local emergency number. On a mobile phone, 112 works in many countries.")),
            tone="warning"))
        if services.crisis is None:
            controls.append(small(_("The list of helplines could not be loaded on this device.")))
        else:
            controls.append(body(_("Choose your country to see its crisis and support lines.") if not code else
                                 _("Regroup has no numbers for {country} yet. A directory of helplines in many "
                                   "countries is below.").format(country=country_name(code))))
        controls.append(change)
        if fallback:
            controls.extend(_country_lines(fallback))
    else:
        emergency = help.of_kind("emergency")[0]
        controls.append(card(
            heading(_("If someone is in danger now"), level="section"),
            body(emergency.description(current_language())),
            ft.FilledButton(_("Call {number}").format(number=emergency.display), icon=ft.Icons.CALL,
                            url=f"tel:{emergency.phone}",
                            style=ft.ButtonStyle(bgcolor=ft.Colors.ERROR, color=ft.Colors.ON_ERROR)),
            tone="warning"))
        controls.append(ft.Row([body(_("Numbers for {country}").format(country=country_name(help.code))),
                                change], wrap=True, spacing=8,
                               vertical_alignment=ft.CrossAxisAlignment.CENTER))
        controls.extend(_country_lines(help))
    controls.append(small(_(
        "Regroup is not a crisis service and does not replace professional help. "
        "Messages to your specialist are not watched around the clock.")))
    return Screen(title=_("Get help now"), controls=[page_body(controls)])
