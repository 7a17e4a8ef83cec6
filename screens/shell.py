"""The session: start-up, the person's settings, and routing (which screen to draw for a route, and when)."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import replace
from typing import Callable

import flet as ft

from app.domain import Settings
from app.errors import trace_without_text
from app.i18n import _, available_languages, is_rtl, language_for_device, set_device_locales, set_language
from app.services import Services, StartResult, StartStatus
from screens import entry, help as help_screen, journey, lock, messages, neutral, onboarding, problem, step
from screens.steps import Saver
from screens.frame import frame
from screens.routes import DESTINATIONS, HELP, SUBPAGES
from screens.theme import WIDE_LAYOUT, apply_theme
from screens.widgets import Screen, body, page_body, snack

log = logging.getLogger("regroup.ui")
LOCK = "/lock"
NEUTRAL = "/notes"  # what quick exit shows: a plain notes page, nothing of Regroup


class Shell:
    """One per browser session or phone: holds the session's state and draws its views."""

    def __init__(self, page: ft.Page, services: Services):
        self.page = page
        self.services = services
        self.settings = Settings()
        self.device_locales: list[str] = []
        self.start_result: StartResult | None = None
        self._base_route = "/today"
        self._country_override: str | None = None  # picked on the help screen before onboarding
        self._language_choice: str | None = None  # picked on the welcome screen, before it can be saved
        self.welcome: dict = {}  # what the welcome screen holds while it is redrawn (a typed name)
        self._wide = False
        self._drawn: str | None = None  # drawn by go() before the browser's route event arrives
        self.flash: dict | None = None  # a one-time note for the next screen (e.g. "Entry deleted, Undo")
        self._resume: str | None = None  # where the person was when the lock came down
        self._neutral = False  # quick exit is showing the neutral page
        self._browser_route = "/"  # what the address bar shows (discreet mode keeps it "/")
        self._stop_listening: Callable[[], None] | None = None
        self.device_reduce_motion = False  # the device asks for less motion (its accessibility settings)
        self.unread = 0  # messages from the specialist not yet read: a badge on More
        self.pending_pair_link: str | None = None  # a pairing link the app was opened with

    # --- start ------------------------------------------------------------

    async def start(self) -> None:
        page = self.page
        page.title = "Regroup"
        page.padding = 0
        apply_theme(page, "system")
        page.on_route_change = self._on_route_change
        page.on_view_pop = self._on_view_pop
        page.on_resize = self._on_resize
        page.on_locale_change = self._on_locale_change
        self._watch_privacy()
        self._stop_sync_listening = self.services.sharing.listen(self._on_sync)
        self._wide = (page.width or 0) >= WIDE_LAYOUT
        page.route = self._take_pair_link(page.route or "/")
        self._browser_route = page.route or "/"
        self.device_locales = await self._read_device_locales()
        set_device_locales(self.device_locales)
        self.device_reduce_motion = await self._read_reduce_motion()
        self._speak(language_for_device(self.device_locales))  # until settings are read (or cannot be)
        self.start_result = await self.services.start()
        if self.start_result.status in (StartStatus.OK, StartStatus.LOCKED):
            await self.adopt(self.start_result.settings)  # locked: only the plain settings (theme, discreet)
        first = self._landing_route()
        if first == LOCK and page.route not in ("", "/", LOCK, NEUTRAL):
            self._resume = page.route  # opened at an address while locked: go there once unlocked
        if page.route in ("", "/", first) or not self._route_allowed(page.route):
            await self.render(first)
        else:
            await self.render(page.route)
        if self.settings.discreet:
            await self._tell_browser(self.page.route)
        await self.services.reminders.replan()

    async def _read_device_locales(self) -> list[str]:
        try:
            info = await asyncio.wait_for(self.page.get_device_info(), timeout=3)
        except Exception:  # noqa: BLE001 - locale is only a suggestion; never block start-up on it
            return []
        tags = [f"{l.language_code}-{l.country_code}" if l.country_code else l.language_code
                for l in (info.locales if info else [])]
        tags += list(getattr(info, "languages", None) or [])
        return tags

    async def _read_reduce_motion(self) -> bool:
        try:
            features = await asyncio.wait_for(ft.SemanticsService().get_accessibility_features(), timeout=3)
        except Exception:  # noqa: BLE001 - a preference only; never block start-up on it
            return False
        return bool(features.disable_animations or features.reduce_motion)

    async def _on_locale_change(self, e) -> None:
        """The device's languages changed: formats follow at once; so does the language before onboarding."""
        self.device_locales = await self._read_device_locales()
        set_device_locales(self.device_locales)
        if self.start_result is not None:
            await Saver.flush_all()
            await self.adopt(self.settings)
            await self.refresh()

    @property
    def reduce_motion(self) -> bool:
        """No animation: the person asked in Settings, or the device asks for less motion."""
        return self.settings.reduce_motion or self.device_reduce_motion

    async def adopt(self, settings: Settings) -> None:
        if not settings.onboarded:  # a first run speaks the device's language until the person picks one
            settings = replace(settings, language=self._language_choice
                               or language_for_device(self.device_locales))
        self.settings = settings
        await self.services.use_language(self._speak(settings.language))
        apply_theme(self.page, settings.theme, text_scale=settings.text_scale, reduce_motion=self.reduce_motion)
        self.page.title = "Notes" if settings.discreet else "Regroup"  # the tab, the window, the history

    def _speak(self, language: str) -> str:
        """Words, formats and layout direction in the language (English when it has no catalog)."""
        language = set_language(language)
        self.page.rtl = is_rtl(language)  # the whole layout mirrors for a right-to-left language
        # Flutter's own words (a date picker, a dialog's "Dismiss") and its text direction follow too.
        self.page.locale_configuration = ft.LocaleConfiguration(
            supported_locales=[ft.Locale(code) for code in available_languages()], current_locale=ft.Locale(language))
        return language

    def _landing_route(self) -> str:
        if self.start_result is None or self.start_result.status is not StartStatus.OK:
            return LOCK if self.start_result and self.start_result.status is StartStatus.LOCKED else "/problem"
        return "/today" if self.settings.onboarded else "/welcome"

    def _route_allowed(self, route: str) -> bool:
        if route == NEUTRAL:
            return True
        landing = self._landing_route()
        if landing in ("/problem", "/welcome", LOCK):
            return route in (landing, HELP)
        known = {d.route for d in DESTINATIONS} | set(SUBPAGES) | {HELP}
        return route in known or self._dynamic(route) is not None

    def _dynamic(self, route: str) -> tuple[str, Callable, str] | None:
        """Routes with an id: (parent route, builder, id), or None when the id is unknown."""
        library = self.services.library
        kind, _, ident = route.strip("/").partition("/")
        if kind == "entry" and ident:
            return "/journal", entry.build, ident
        if not ident or library is None:
            return None
        if kind == "journey" and library.journey(ident):
            return "/journeys", journey.build, ident
        step_id = ident.replace("/", ".")  # /step/after/keep-safe (screens.addresses); the dotted form still works
        if kind == "step" and library.step(step_id):
            return f"/journey/{library.step(step_id).journey_id}", step.build, step_id
        return None

    def _parent(self, route: str) -> str | None:
        if route in SUBPAGES:
            return SUBPAGES[route][0]
        dynamic = self._dynamic(route)
        return dynamic[0] if dynamic else None

    # --- state changes the screens ask for ------------------------------------

    @property
    def country(self) -> str | None:
        """The chosen country, else the one the device's locale suggests."""
        return (self._country_override or self.settings.country
                or self.services.suggest_country(self.device_locales))

    @property
    def file_prefix(self) -> str:
        """How files the app saves begin (an export, a summary): neutral in discreet mode."""
        return "notes" if self.settings.discreet else "regroup"

    @property
    def app_name(self) -> str | None:
        """The app's name where a document would carry it (None in discreet mode)."""
        return None if self.settings.discreet else "Regroup"

    async def choose_country(self, code: str) -> None:
        """Remember a country picked anywhere; saved once the store is open and onboarding done."""
        self._country_override = code
        if self.settings.onboarded and await self.update_settings(country=code):
            self._country_override = None

    async def choose_language(self, code: str) -> bool:
        """Switch the whole app now, without a restart: words, formats, direction and content.
        Half-typed words are saved as drafts first, so the redrawn screens bring them back."""
        await Saver.flush_all()
        if self.settings.onboarded:
            if not await self.update_settings(language=code):
                return False
        else:
            self._language_choice = code
            await self.adopt(self.settings)
        await self.refresh()
        return True

    async def update_settings(self, **changes) -> bool:
        try:
            settings = await self.services.update_settings(**changes)
        except Exception as exc:  # noqa: BLE001 - tell the person; keep the screen as it was
            snack(self.page, messages.describe(exc, what="settings not saved"))
            return False
        await self.adopt(settings)
        if {"checkin_time", "discreet"} & set(changes):
            await self.services.reminders.replan()
        return True

    def take_flash(self) -> dict | None:
        flash, self.flash = self.flash, None
        return flash

    async def go(self, route: str, *, message: str | None = None) -> None:
        """Draw the route now, then tell the browser (its route event then finds it drawn already);
        a message shows on the new screen, after it is drawn, so it is not lost with the old one."""
        target = route if self._route_allowed(route) else self._landing_route()
        self.services.privacy.touch()
        await self.render(target)
        await self._tell_browser(target)
        if message:
            snack(self.page, message)

    async def open_help(self, e=None) -> None:
        await self.go(HELP)

    async def restart(self) -> None:
        """After a fresh start or onboarding: draw the landing screen again."""
        await self.render(self._landing_route())
        await self._tell_browser(self.page.route)

    async def _tell_browser(self, route: str) -> None:
        """Put the drawn route in the address bar and history; in discreet mode only ever "/".

        Flet's web client changes the address only on push_route (setting page.route does not), so
        discreet mode pushes "/" once and then nothing: no screen's name enters the history."""
        shown = "/" if self.settings.discreet else route
        if self.settings.discreet and self._browser_route == shown:
            return
        self._drawn, self._browser_route = shown, shown
        await self.page.push_route(shown)

    async def refresh(self) -> None:
        await self.render(self.page.route or self._landing_route())

    # --- the lock -------------------------------------------------------------

    def _watch_privacy(self) -> None:
        """Hear the lock, and lock when the tab or app goes to the background (wiring counts activity)."""
        privacy = self.services.privacy
        self._stop_listening = privacy.subscribe(self._on_lock_event)
        privacy.start_ticker()
        self.page.on_app_lifecycle_state_change = self._on_lifecycle
        self.page.on_close = lambda e: self._stop_listening and self._stop_listening()

    async def _on_lifecycle(self, e) -> None:
        if e.state in (ft.AppLifecycleState.HIDE, ft.AppLifecycleState.PAUSE) and \
                not self.services.privacy.away_expected:
            await self.services.reminders.replan()  # a day checked in by now gets no reminder
            await self.services.privacy.lock("background")

    async def _on_lock_event(self, event: str) -> None:
        if event == "locked":
            if self.page.route not in (LOCK, NEUTRAL, "/problem", "/welcome"):
                self._resume = self.page.route
            self.start_result = StartResult(StartStatus.LOCKED, settings=self.settings)
            while self.page.pop_dialog():  # a dialog or note may show the person's words
                pass
            if not self._neutral:  # after a quick exit the neutral page stays; it opens onto the lock
                await self.go(LOCK)
        elif event == "erased":  # everything is gone: start again as on a first run
            while self.page.pop_dialog():
                pass
            self._resume = None
            self.start_result = await self.services.start()
            await self.adopt(self.start_result.settings)
            await self.go(self._landing_route(), message=_("Everything was erased from this device."))
        elif event == "unlocked" and self.start_result and self.start_result.status is StartStatus.LOCKED:
            settings = await self.services.settings()
            self.start_result = StartResult(StartStatus.OK, settings=settings)
            await self.adopt(settings)
            await self.services.reminders.replan()
            if self._neutral:  # unlocked in another tab: this one stays on its plain page
                return
            resume, self._resume = self._resume, None
            await self.go(resume or self._landing_route())

    async def quick_exit(self, e=None) -> None:
        """Discreet mode: show a plain notes page at once, then lock (with a PIN) behind it."""
        if self.page.route not in (LOCK, NEUTRAL, "/problem", "/welcome"):
            self._resume = self.page.route
        self._neutral = True
        while self.page.pop_dialog():
            pass
        await self.render(NEUTRAL)
        await self.services.privacy.lock("quick exit")

    async def leave_neutral(self, e=None) -> None:
        self._neutral = False
        if self.start_result and self.start_result.status is StartStatus.LOCKED:
            await self.go(LOCK)
        else:
            resume, self._resume = self._resume, None
            await self.go(resume or self._landing_route())

    async def start_again_after_forgotten_secret(self) -> None:
        """Forgotten PIN: move the locked data and its key aside (kept), and start with an empty store."""
        moved, result = await self.services.start_fresh(StartStatus.LOCKED)
        self.start_result = result
        if result.status is StartStatus.OK:
            await self.adopt(result.settings)
        await self.restart()
        snack(self.page, _("The old files were kept as: {names}").format(
            names=", ".join(p.name for p in moved) or _("nothing")))

    # --- routing ------------------------------------------------------------

    def _take_pair_link(self, route: str) -> str:
        """A phone opened by a regroup://pair?server=...&code=... link (pyproject's deep_linking; untested
        here, no phone build runs on these machines): keep the link for the sharing screen's form."""
        path, _sep, query = (route or "").partition("?")
        if "code=" in query and "server=" in query and path.rstrip("/") in ("", "/pair", "/sharing"):
            self.pending_pair_link = "regroup://pair?" + query
            return "/sharing"
        return route

    async def _on_route_change(self, e: ft.RouteChangeEvent) -> None:
        if self.start_result is None:
            return  # still starting: start() draws page.route itself once the store is open
        self._browser_route = e.route
        if self._take_pair_link(e.route) != e.route:
            await self.go("/sharing")
            return
        if e.route == self._drawn:  # what go() pushed: drawn already
            self._drawn = None
            return
        route = e.route if self._route_allowed(e.route) else self._landing_route()
        if route == self._drawn:
            self._drawn = None
            return
        await self.render(route)

    async def _back(self, e=None) -> None:
        if len(self.page.views) > 1:
            await self.go(self.page.views[-2].route)

    async def _on_view_pop(self, e: ft.ViewPopEvent) -> None:
        if len(self.page.views) > 1:
            self.page.views.pop()
            await self.page.push_route(self.page.views[-1].route)

    async def _on_resize(self, e) -> None:
        wide = (self.page.width or 0) >= WIDE_LAYOUT
        if wide != self._wide:
            self._wide = wide
            await self.refresh()

    async def render(self, route: str) -> None:
        """Rebuild the view stack for route."""
        self.page.route = route
        if route == HELP:
            base = self._base_route if self._route_allowed(self._base_route) else self._landing_route()
            routes = self._chain(base) + [HELP]
        else:
            routes = self._chain(route)
            self._base_route = route
        self.unread = await self._unread()
        try:
            stack = [await self._view_for(r) for r in routes]
        except Exception as exc:  # noqa: BLE001 - never leave a person on a blank or raw error screen
            log.error("screen %s failed: %s", route.split("/")[1] if "/" in route else route,
                      trace_without_text(exc))
            stack = [self._frame(route, self._broken_screen(), nav=False, back=False)]
        self._replace_views(stack)
        self.page.update()

    async def _unread(self) -> int:
        if self.start_result is None or self.start_result.status != StartStatus.OK:
            return 0
        try:
            return (await self.services.sharing.status()).unread
        except Exception:  # noqa: BLE001 - a badge never stops a screen
            return 0

    def _on_sync(self, report) -> None:
        """After each sync: the badge follows what arrived; the sharing screen shows the new status. Other
        screens are left alone (a rebuild would lose what the person is typing)."""
        self.page.run_task(self._after_sync)

    async def _after_sync(self) -> None:
        unread = await self._unread()
        route = self.page.route
        # Only screens with nothing to type are redrawn (a check-in half filled in must not be lost);
        # elsewhere the badge follows at the next screen change.
        if route == "/sharing" or (unread != self.unread and route in ("/today", "/more", "/journeys")):
            await self.render(route)
        self.unread = unread

    def _replace_views(self, stack: list[ft.View]) -> None:
        """Keep a View object whose route stays (an open dialog belongs to it); swap only its contents."""
        views = self.page.views
        for i, new in enumerate(stack):
            if i < len(views) and views[i].route == new.route:
                old = views[i]
                old.appbar, old.navigation_bar, old.controls = new.appbar, new.navigation_bar, new.controls
            elif i < len(views):
                views[i] = new
            else:
                views.append(new)
        del views[len(stack):]

    def _broken_screen(self) -> Screen:
        return Screen(title=_("Something went wrong"), controls=[page_body([
            body(_("This screen could not be shown. Nothing you saved has been lost.")),
            ft.FilledButton(_("Go to Today"), icon=ft.Icons.WB_SUNNY_OUTLINED,
                            on_click=lambda e: self.page.run_task(self.go, self._landing_route())),
        ])])

    def _chain(self, route: str) -> list[str]:
        """The route and its parents, outermost first."""
        parent = self._parent(route)
        return (self._chain(parent) if parent else []) + [route]

    async def _view_for(self, route: str) -> ft.View:
        if route == NEUTRAL:
            return self._frame(route, neutral.build(self), nav=False, back=False, show_help=False)
        if route == LOCK:
            return self._frame(route, await lock.build(self), nav=False, back=False)
        if route == "/problem":
            return self._frame(route, await problem.build(self), nav=False, back=False)
        if route == "/welcome":
            return self._frame(route, await onboarding.build(self), nav=False, back=False)
        if route == HELP:
            return self._frame(route, await help_screen.build(self), nav=False, back=True, show_help=False)
        if route in SUBPAGES:
            return self._frame(route, await SUBPAGES[route][1](self), nav=False, back=True)
        dynamic = self._dynamic(route)
        if dynamic:
            return self._frame(route, await dynamic[1](self, dynamic[2]), nav=False, back=True)
        dest = next(d for d in DESTINATIONS if d.route == route)
        return self._frame(route, await dest.build(self), nav=True, back=False)

    def _frame(self, route: str, screen: Screen, *, nav: bool, back: bool, show_help: bool = True) -> ft.View:
        quick_exit = self.quick_exit if self.settings.discreet and route != NEUTRAL else None
        return frame(route, screen, nav=nav, wide=self._wide, unread=self.unread,
                     on_help=self.open_help if show_help else None,
                     on_back=self._back if back else None, on_nav=self._on_nav, on_quick_exit=quick_exit)

    async def _on_nav(self, e) -> None:
        await self.go(DESTINATIONS[int(e.control.selected_index)].route)
