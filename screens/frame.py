"""The frame around every screen: app bar with Get help now, and the tab bar (or a rail on wide screens)."""

from __future__ import annotations

from typing import Callable

import flet as ft

from app.i18n import _, ngettext
from screens.routes import DESTINATIONS
from screens.theme import TYPE_SCALE, bar_size
from screens.widgets import Screen, help_button, icon_button


def frame(route: str, screen: Screen, *, nav: bool, wide: bool, unread: int = 0, on_help: Callable | None, on_back: Callable | None,
          on_nav: Callable, on_quick_exit: Callable | None = None) -> ft.View:
    actions = list(screen.actions)
    if on_quick_exit:  # discreet mode: one tap shows a plain notes page (and locks, with a PIN)
        actions.insert(0, icon_button(ft.Icons.CLOSE_FULLSCREEN, _("Quick exit"), on_quick_exit))
    if on_help:
        actions.append(ft.Container(help_button(on_help), padding=ft.Padding.only(right=8)))
    leading = icon_button(ft.Icons.ARROW_BACK, _("Back"), on_back) if on_back else None
    appbar = ft.AppBar(title=title_text(screen.title), actions=actions, automatically_imply_leading=False,
                       leading=leading, bgcolor=ft.Colors.SURFACE, center_title=False, toolbar_height=64)
    body: ft.Control = ft.Column(screen.controls, expand=True, spacing=0,
                                 horizontal_alignment=ft.CrossAxisAlignment.STRETCH)
    navigation_bar = None
    if nav and wide:
        body = ft.Row([_rail(route, on_nav, unread), ft.VerticalDivider(width=1), body], expand=True, spacing=0)
    elif nav:
        navigation_bar = _bar(route, on_nav, unread)
    return ft.View(route=route, appbar=appbar, navigation_bar=navigation_bar, padding=0, spacing=0,
                   controls=[ft.SafeArea(body, expand=True)])


LONG_TITLE = 14  # characters: beside Back and Get help now, about this many fit on one line at 360 px


def title_text(title: str) -> ft.Text:
    """A title bar that never cuts a journey's name: a long one is set smaller and wraps to two lines."""
    long = len(title) > LONG_TITLE
    return ft.Text(title, max_lines=2, overflow=ft.TextOverflow.ELLIPSIS,
                   theme_style=ft.TextThemeStyle.TITLE_MEDIUM if long else ft.TextThemeStyle.TITLE_LARGE,
                   size=bar_size(TYPE_SCALE["title_medium" if long else "title_large"]))


def _selected(route: str) -> int:
    return next(i for i, d in enumerate(DESTINATIONS) if d.route == route)


def _icons(d, unread: int):
    """A destination's icons; More carries the number of unread messages from the specialist."""
    if d.route != "/more" or not unread:
        return d.icon, d.selected_icon
    badge = str(unread) if unread < 100 else "99+"
    return ft.Icon(d.icon, badge=badge), ft.Icon(d.selected_icon, badge=badge)


def _label(d, unread: int) -> str | None:
    """The badge's meaning in words (a tooltip, read by screen readers), only when there is one. Every other
    tab gets an empty tooltip: Flutter's default repeats the visible name, and its closing when a mouse leaves
    the bar rebuilt the screen's semantics and dropped the focus of the field just tapped."""
    if d.route != "/more" or not unread:
        return None
    return ngettext("{label}, {n} new from your specialist", "{label}, {n} new from your specialist",
                    unread).format(label=d.label(), n=unread)


def _bar(route: str, on_nav: Callable, unread: int = 0) -> ft.NavigationBar:
    return ft.NavigationBar(
        selected_index=_selected(route), on_change=on_nav,
        destinations=[ft.NavigationBarDestination(icon=_icons(d, unread)[0], selected_icon=_icons(d, unread)[1],
                                                    label=d.label(), tooltip=_label(d, unread) or "")
                      for d in DESTINATIONS])


def _rail(route: str, on_nav: Callable, unread: int = 0) -> ft.NavigationRail:
    return ft.NavigationRail(
        selected_index=_selected(route), on_change=on_nav, label_type=ft.NavigationRailLabelType.ALL, min_width=88,
        destinations=[ft.NavigationRailDestination(icon=_icons(d, unread)[0], selected_icon=_icons(d, unread)[1],
                                                    label=d.label()) for d in DESTINATIONS])
