"""Small shared widgets: every touchable control has one screen-reader name."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

import flet as ft

from app.i18n import _
from screens.theme import CONTENT_MAX_WIDTH, FONT_FAMILY, TOUCH, TYPE_SCALE, bar_size


@dataclass
class Screen:
    """What a screen module returns: its title, its body and any extra app-bar actions."""

    title: str
    controls: list[ft.Control]
    actions: list[ft.Control] = field(default_factory=list)


def help_button(on_click: Callable) -> ft.Control:
    """The Get help now button on every screen: visible text, so it is named once and easy to find."""
    return ft.FilledButton(
        _("Get help now"),
        icon=ft.Icons.SOS_OUTLINED,
        on_click=on_click,
        height=48,
        style=ft.ButtonStyle(
            bgcolor=ft.Colors.ERROR_CONTAINER,
            color=ft.Colors.ON_ERROR_CONTAINER,
            padding=ft.Padding.symmetric(horizontal=12),
            text_style=ft.TextStyle(size=bar_size(TYPE_SCALE["label_large"]), font_family=FONT_FAMILY),  # app bar
        ),
    )


def choice_button(content: ft.Control, *, selected: bool, on_click: Callable, height: int | None = None,
                  expand: bool | int = True) -> ft.MergeSemantics:
    """One choice of a set (a mood, a number) whose chosen state reaches screen readers.

    Measured in Chromium (FLET-NOTES): `Semantics(button=True, selected=...)` around a button comes out as one
    `button` named by its text, with `aria-current="true"` or `"false"`; MergeSemantics keeps the button and
    the chosen state one node (without it there are two buttons, one stateless). On Android the same flag is
    read as "selected". A button (not a tappable Container) so that the keyboard focus draws the same 3 px
    ring as every other button: an ink well shows focus only as a faint tint. With no height it is as tall as its
    words need (48 px for a 16 px number at 100%), so large text is never cut off."""
    return ft.MergeSemantics(expand=expand, content=ft.Semantics(
        button=True, selected=selected,
        content=ft.Button(content=content, height=height, on_click=on_click, style=_choice_style(selected))))


def _choice_style(selected: bool) -> ft.ButtonStyle:
    edge = ft.BorderSide(2, ft.Colors.PRIMARY if selected else ft.Colors.TRANSPARENT)
    return ft.ButtonStyle(
        bgcolor=ft.Colors.PRIMARY_CONTAINER if selected else ft.Colors.SURFACE_CONTAINER_HIGH,
        color=ft.Colors.ON_SURFACE, elevation=0, shadow_color=ft.Colors.TRANSPARENT,
        padding=ft.Padding.symmetric(horizontal=4, vertical=12), shape=ft.RoundedRectangleBorder(radius=12),
        side={ft.ControlState.FOCUSED: ft.BorderSide(3, ft.Colors.ON_SURFACE), ft.ControlState.DEFAULT: edge})


def set_chosen(button: ft.MergeSemantics, selected: bool) -> None:
    """Move the chosen look and state onto (or off) a choice_button."""
    semantics = button.content
    semantics.selected = selected
    semantics.content.style = _choice_style(selected)


def icon_button(icon: ft.IconData, label: str, on_click: Callable) -> ft.IconButton:
    """An icon-only button named for screen readers (FLET-NOTES: the label sits on the Icon)."""
    return ft.IconButton(ft.Icon(icon, semantics_label=label), on_click=on_click,
                         width=TOUCH, height=TOUCH)


def heading(text: str, *, level: str = "title") -> ft.Text:
    styles = {"title": ft.TextThemeStyle.TITLE_LARGE, "section": ft.TextThemeStyle.TITLE_MEDIUM,
              "display": ft.TextThemeStyle.HEADLINE_SMALL}
    return ft.Text(text, theme_style=styles[level], weight=ft.FontWeight.W_600)


def body(text: str, *, muted: bool = False, selectable: bool = False) -> ft.Text:
    return ft.Text(text, theme_style=ft.TextThemeStyle.BODY_LARGE, selectable=selectable,
                   color=ft.Colors.ON_SURFACE_VARIANT if muted else None)


def small(text: str) -> ft.Text:
    return ft.Text(text, theme_style=ft.TextThemeStyle.BODY_SMALL, color=ft.Colors.ON_SURFACE_VARIANT)


def card(*controls: ft.Control, tone: str = "plain", on_click: Callable | None = None) -> ft.Control:
    colors = {"plain": ft.Colors.SURFACE_CONTAINER_LOW, "notice": ft.Colors.SECONDARY_CONTAINER,
              "warning": ft.Colors.ERROR_CONTAINER}
    return ft.Container(
        content=ft.Column(list(controls), spacing=8, tight=True),
        bgcolor=colors[tone], border_radius=16, padding=16, on_click=on_click,
    )


def empty_state(icon: ft.IconData, title: str, text: str, *actions: ft.Control) -> ft.Control:
    return ft.Container(
        ft.Column(
            [ft.Icon(icon, size=48, color=ft.Colors.PRIMARY), heading(title, level="section"),
             body(text, muted=True), *actions],
            horizontal_alignment=ft.CrossAxisAlignment.CENTER, spacing=12, tight=True,
        ),
        padding=ft.Padding.symmetric(vertical=32, horizontal=8), alignment=ft.Alignment.CENTER,
    )


def page_body(controls: list[ft.Control]) -> ft.Control:
    """Scrollable content, centred and capped in width so long lines stay readable on a tablet."""
    return ft.Column(
        [ft.Container(ft.Column(controls, spacing=16, horizontal_alignment=ft.CrossAxisAlignment.STRETCH),
                      width=CONTENT_MAX_WIDTH,
                      padding=ft.Padding.only(left=16, right=16, top=8, bottom=24))],
        scroll=ft.ScrollMode.AUTO, expand=True,
        horizontal_alignment=ft.CrossAxisAlignment.CENTER,
    )


def labelled(label: str, control: ft.Control) -> ft.Control:
    """Give a control that Flutter leaves nameless (Dropdown, RadioGroup) its one name."""
    return ft.Semantics(label=label, container=True, content=control)


def snack(page: ft.Page, message: str) -> None:
    page.show_dialog(ft.SnackBar(ft.Text(message), show_close_icon=True))
