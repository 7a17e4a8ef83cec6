"""Share with my specialist: what sharing means, pairing, how it is going, what the specialist sees, unpairing.

Nothing leaves the phone until the person chooses it; the words here say so before anything else.
"""

from __future__ import annotations

import datetime as dt

import flet as ft

from app.i18n import _, format_ago, format_date, format_time, ngettext
from screens import messages
from screens.widgets import Screen, body, card, heading, page_body, small, snack

DEFAULTS = (("checkin", lambda: _("New check-ins")), ("wellbeing", lambda: _("New wellbeing check results")),
            ("journey_progress", lambda: _("Progress on journeys")))
ENTITY_WORDS = {"journal_entry": lambda: _("Journal entry"), "checkin": lambda: _("Check-in"),
                "wellbeing": lambda: _("Wellbeing check"), "journey_progress": lambda: _("Journey progress"),
                "worksheet": lambda: _("Worksheet"), "message": lambda: _("Message")}


def _when(shell, stamp: str | None) -> dt.datetime | None:
    if not stamp:
        return None
    return dt.datetime.fromisoformat(stamp.replace("Z", "+00:00"))


def status_lines(shell, status) -> list[str]:
    """How sharing is going, in sentences: when things last went, what waits, and why if something is stuck."""
    now = shell.services.clock.now()
    lines: list[str] = []
    sent = _when(shell, status.last_sent_at)
    lines.append(_("Last connected {ago}.").format(ago=format_ago(now - sent)) if sent else _("Not connected yet."))
    if status.waiting:
        lines.append(ngettext("{n} item is waiting to be sent.", "{n} items are waiting to be sent.",
                              status.waiting).format(n=status.waiting))
    retry = _when(shell, status.retry_at)
    at = format_time(shell.services.clock.to_local(retry.isoformat())) if retry else None
    if status.last_error == "rate_limited":
        lines.append(_("Your specialist's service asked Regroup to wait; trying again at {time}.").format(time=at)
                     if at else _("Your specialist's service asked Regroup to wait a little."))
    elif status.last_error == "server_unreachable":
        lines.append(_("Offline: Regroup sends when you are back online (next try at {time}).").format(time=at)
                     if at else _("Offline: Regroup sends when you are back online."))
    elif status.last_error:
        lines.append(messages.text(status.last_error) if status.last_error in messages.MESSAGES
                     else messages.text("server_error"))
    return lines


def _what_it_means() -> ft.Control:
    points = [
        _("Nothing leaves this phone until you choose it. You decide, one item at a time or all of one kind, what "
          "your specialist can see."),
        _("Your specialist sees only what you share: for example a journal entry you chose, your check-ins, your "
          "re-approach plan. They never see anything else you keep here, your drafts or your PIN."),
        _("Other people in your family never see what you share, and you never see theirs. Each person pairs "
          "their own phone."),
        _("A shared check-in includes your note and what you wrote about your loved one's day. Changes you make "
          "later to something shared are shared too."),
        _("You can stop sharing anything at any time, or unpair this phone."),
        _("Your specialist can send you messages and suggest steps. Messages are not watched around the clock: "
          "in a crisis, use Get help now."),
    ]
    return card(heading(_("What sharing means"), level="section"),
                *[ft.Row([ft.Icon(ft.Icons.CHECK_CIRCLE_OUTLINE, size=20, color=ft.Colors.PRIMARY),
                          ft.Text(p, expand=True)], vertical_alignment=ft.CrossAxisAlignment.START)
                  for p in points])


def _pair_form(shell) -> list[ft.Control]:
    page, sharing = shell.page, shell.services.sharing
    hosting = sharing.hosting_server  # the web app as the specialist's server serves it: that server
    server = ft.TextField(label=_("Address your specialist gave you"), hint_text="https://", keyboard_type=ft.KeyboardType.URL,
                          autocorrect=False, enable_suggestions=False, value=hosting or "")
    code = ft.TextField(label=_("Pairing code"), hint_text="ABCD-EFGH-JKLM", autocorrect=False,
                        enable_suggestions=False, capitalization=ft.TextCapitalization.CHARACTERS)
    name = ft.TextField(label=_("Your name, as your specialist will see it"), max_length=80,
                        value=shell.settings.greeting_name or "", capitalization=ft.TextCapitalization.WORDS)
    link = ft.TextField(label=_("Pairing link"), hint_text="regroup://pair?...", autocorrect=False,
                        enable_suggestions=False, value=shell.pending_pair_link or "")
    shell.pending_pair_link = None
    # Errors are announced when they appear (a live region); the wrapper is what shows or hides
    error = ft.Semantics(live_region=True, visible=False, content=ft.Text(color=ft.Colors.ERROR))
    link_error = ft.Semantics(live_region=True, visible=False, content=ft.Text(color=ft.Colors.ERROR))
    pair_button = ft.FilledButton(_("Pair with my specialist"), icon=ft.Icons.LINK)
    link_button = ft.OutlinedButton(_("Pair with the link"), icon=ft.Icons.CONTENT_PASTE)

    async def pair(use_link: bool):
        error.visible = link_error.visible = False
        pair_button.disabled = link_button.disabled = True
        (link_button if use_link else pair_button).content = _("Connecting...")
        page.update()
        try:
            if use_link:
                await sharing.pair_with_link(link.value or "", name=name.value or "")
            else:
                await sharing.pair(server=server.value or "", code=code.value or "", name=name.value or "")
        except Exception as exc:  # noqa: BLE001 - say why, beside the button tapped; what was typed stays
            shown = link_error if use_link else error
            shown.content.value, shown.visible = messages.describe(exc, what="not paired"), True
            pair_button.disabled = link_button.disabled = False
            pair_button.content, link_button.content = _("Pair with my specialist"), _("Pair with the link")
            page.update()
            return
        await shell.go("/sharing", message=_("Paired. Nothing is shared until you choose it."))

    pair_button.on_click = lambda e: page.run_task(pair, False)
    link_button.on_click = lambda e: page.run_task(pair, True)
    return [
        heading(_("Pair with your specialist"), level="section"),
        body(_("Your specialist gives you an address and a pairing code. The code works once, within 15 minutes of "
               "when your specialist made it.")),
        server, *([small(_("Filled in: the address this app was opened from."))] if hosting else []), code, name,
        small(_("New phone? If your specialist made this code for your new phone, this name only labels the phone.")),
        error, pair_button,
        heading(_("Or paste the pairing link"), level="section"),
        small(_("Your specialist's page can show a link that starts with regroup://pair")),
        link, link_error, link_button,
    ]


def _status_card(shell, status) -> ft.Control:
    page, sharing = shell.page, shell.services.sharing

    async def sync_now(e):
        e.control.disabled = True
        page.update()
        report = await sharing.sync_now()
        if report.error:
            note = messages.text(report.error) if report.error in messages.MESSAGES else messages.text("server_error")
        elif report.skipped == "locked":
            note = _("Unlock Regroup to send.")
        else:
            note = _("Up to date.")
        await shell.go("/sharing", message=note)

    if status.state == "unpairing":
        return card(heading(_("Unpairing"), level="section"),
                    body(_("Your specialist has not been told yet. Unpairing finishes the next time this phone is "
                           "online; until then, your specialist can still see what you shared.")),
                    ft.FilledTonalButton(_("Try now"), icon=ft.Icons.SYNC, on_click=sync_now),
                    tone="notice")
    lines = [body(line) for line in status_lines(shell, status)]
    return card(heading(_("Paired as {name}").format(name=status.name or ""), level="section"),
                small(status.server or ""), *lines,
                ft.FilledTonalButton(_("Send and check now"), icon=ft.Icons.SYNC, on_click=sync_now))


def _closed_card(shell, status) -> ft.Control:
    when = _when(shell, status.closed_at)

    async def start_over(e):
        try:
            await shell.services.sharing.unpair(erase=False)
        except Exception as exc:  # noqa: BLE001 - say why
            snack(shell.page, messages.describe(exc, what="connection not reset"))
            return
        await shell.go("/sharing")

    since = _(" (since {date})").format(date=format_date(shell.services.clock.to_local(when.isoformat()).date())) \
        if when else ""
    return card(heading(_("No longer connected"), level="section"),
                body(_("This phone is no longer connected to your specialist{since}. Nothing more is sent. What you "
                       "shared before stays with your specialist unless they erase it. Everything on this phone is "
                       "kept.").format(since=since)),
                ft.FilledTonalButton(_("Pair again"), icon=ft.Icons.LINK, on_click=start_over),
                tone="warning")


def _defaults(shell, status) -> list[ft.Control]:
    page, sharing = shell.page, shell.services.sharing

    async def changed(e, kind: str):
        on = bool(e.control.value)
        existing = await sharing.count_unshared(kind) if on else 0
        if on and existing:
            _ask_existing(shell, kind, existing)
            return
        await sharing.set_default(kind, on)
        snack(page, _("Saved") if on else _("Saved. Things already shared stay shared: use Stop sharing below."))

    switches = [ft.Switch(label=label(), value=bool(status.defaults.get(kind)),
                          on_change=lambda e, k=kind: page.run_task(changed, e, k)) for kind, label in DEFAULTS]
    return [heading(_("Share automatically"), level="section"),
            small(_("Off unless you turn it on. Journal entries are always chosen one at a time, from the entry "
                    "itself.")),
            *switches]


def _ask_existing(shell, kind: str, count: int) -> None:
    page, sharing = shell.page, shell.services.sharing
    what = {"checkin": ngettext("You already have {n} check-in. Share it too?",
                                "You already have {n} check-ins. Share them too?", count),
            "wellbeing": ngettext("You already have {n} wellbeing check result. Share it too?",
                                  "You already have {n} wellbeing check results. Share them too?", count),
            "journey_progress": _("Share the progress you have already made on journeys too?")}[kind]

    async def choose(include: bool):
        page.pop_dialog()
        await sharing.set_default(kind, True, include_existing=include)
        await shell.go("/sharing", message=_("Saved"))

    async def cancel(e):
        page.pop_dialog()
        await shell.go("/sharing")

    page.show_dialog(ft.AlertDialog(
        modal=True, title=ft.Text(_("Share what you already have?")),
        content=ft.Text(what.format(n=count)),
        actions=[ft.TextButton(_("Cancel"), on_click=cancel),
                 ft.TextButton(_("Only new ones"), on_click=lambda e: page.run_task(choose, False)),
                 ft.TextButton(_("Share them too"), on_click=lambda e: page.run_task(choose, True))]))


def _item_words(shell, item) -> str:
    kind = ENTITY_WORDS.get(item.entity, lambda: item.entity)()
    when = _when(shell, item.when)
    day = format_date(shell.services.clock.to_local(when.isoformat()).date()) if when else ""
    detail = item.heading or ""
    if item.entity == "checkin" and item.number is not None:
        detail = _("mood {n} of 5").format(n=item.number)
    elif item.entity == "wellbeing" and item.number is not None:
        detail = _("score {n} of 100").format(n=item.number)
    elif item.entity in ("worksheet", "journey_progress") and item.ref:
        detail = _step_or_journey_title(shell, item.ref)
    waiting = _("waiting to send") if item.mark and item.mark.state == "waiting" else ""
    return " · ".join(p for p in (kind, day, detail, waiting) if p)


def _step_or_journey_title(shell, ref: str) -> str:
    library = shell.services.library
    if not library:
        return ref
    step = library.step(ref) if "." in ref else None
    if step is not None:
        return step.title
    journey = library.journey(ref)
    return journey.title if journey else ref


def _shared_list(shell, items) -> list[ft.Control]:
    page, sharing = shell.page, shell.services.sharing
    if not items:
        return [heading(_("What your specialist sees"), level="section"),
                body(_("Nothing yet. Choose what to share from an entry, a check-in or a plan, or turn on automatic "
                       "sharing above."), muted=True)]

    async def stop(item):
        if item.entity == "journey_progress":
            await sharing.set_journey_shared(item.ref, False)
        else:
            await sharing.set_shared(item.entity, item.record_id, False)
        await shell.go("/sharing", message=_("No longer shared. It will be taken back from your specialist soon."))

    rows = []
    for item in items:
        words = _item_words(shell, item)
        rows.append(ft.Row([ft.Text(words, expand=True),
                            # one name per button for a screen reader: what it stops sharing
                            ft.TextButton(content=ft.Text(_("Stop sharing"), semantics_label=_(
                                "Stop sharing: {what}").format(what=words)),
                                          on_click=lambda e, i=item: page.run_task(stop, i))],
                           vertical_alignment=ft.CrossAxisAlignment.CENTER))
    return [heading(_("What your specialist sees"), level="section"),
            small(ngettext("{n} thing shared.", "{n} things shared.", len(items)).format(n=len(items))), *rows]


def _refused(shell, refused) -> list[ft.Control]:
    if not refused:
        return []
    page = shell.page

    async def dismiss(e):
        await shell.services.sharing.dismiss_refusals()
        await shell.go("/sharing")

    lines = [body("{kind}: {why}".format(kind=ENTITY_WORDS.get(entity, lambda: entity)(), why=messages.refusal(code)))
             for entity, _rid, code in refused[:10]]
    return [card(heading(ngettext("{n} thing could not be shared", "{n} things could not be shared",
                                  len(refused)).format(n=len(refused)), level="section"),
                 *lines, ft.TextButton(_("Dismiss"), on_click=dismiss), tone="warning")]


def _unpair(shell) -> list[ft.Control]:
    page, sharing = shell.page, shell.services.sharing
    error = ft.Text(color=ft.Colors.ERROR, visible=False)

    async def unpair(erase: bool):
        page.pop_dialog()
        try:
            outcome = await sharing.unpair(erase=erase)
        except Exception as exc:  # noqa: BLE001 - say why; still paired
            error.value, error.visible = messages.describe(exc, what="not unpaired"), True
            page.update()
            return
        note = _("Unpaired. Everything you keep here stays on this phone.") if outcome == "done" else \
            _("Unpairing will finish the next time this phone is online. Until then, your specialist can still see "
              "what you shared.")
        await shell.go("/sharing", message=note)

    def ask(e):
        page.show_dialog(ft.AlertDialog(
            modal=True, title=ft.Text(_("Unpair this phone?")),
            content=ft.Text(_("Nothing more is sent or received. What you deleted or stopped sharing is taken back "
                              "first; anything still waiting to be sent is not sent. Your journal and everything else "
                              "stay on this phone. Do you also want your specialist to stop seeing what you already "
                              "shared?")),
            actions=[ft.TextButton(_("Cancel"), on_click=lambda e: page.pop_dialog()),
                     ft.TextButton(_("Unpair, leave what I shared with my specialist"),
                                   on_click=lambda e: page.run_task(unpair, False)),
                     ft.TextButton(_("Unpair and remove it from my specialist"),
                                   on_click=lambda e: page.run_task(unpair, True))]))

    return [ft.Divider(), heading(_("Unpair"), level="section"),
            body(_("Stop sharing from this phone. Other people in your family keep their own pairing.")),
            ft.OutlinedButton(_("Unpair this phone..."), icon=ft.Icons.LINK_OFF, on_click=ask), error]


async def build(shell) -> Screen:
    sharing = shell.services.sharing
    status = await sharing.status()
    controls: list[ft.Control] = [heading(_("Share with my specialist"), level="display")]
    if status.state == "none":  # the promise first, the form in view, the details under it
        controls += [body(_("Nothing leaves this phone until you choose it, and nobody else in your family sees what "
                            "you share.")),
                     *_pair_form(shell), _what_it_means()]
        return Screen(title=_("Sharing"), controls=[page_body(controls)])
    if status.state == "closed":
        controls += [_closed_card(shell, status), _what_it_means()]
        return Screen(title=_("Sharing"), controls=[page_body(controls)])
    if status.state == "unpairing":
        controls += [_status_card(shell, status)]
        return Screen(title=_("Sharing"), controls=[page_body(controls)])
    items, refused = await sharing.shared_items(), await sharing.refused_items()
    inbox_label = ngettext("Messages from your specialist ({n} new)", "Messages from your specialist ({n} new)",
                           status.unread).format(n=status.unread) if status.unread else \
        _("Messages from your specialist")
    controls += [
        _status_card(shell, status),
        ft.FilledTonalButton(inbox_label, icon=ft.Icons.FORUM_OUTLINED,
                             on_click=lambda e: shell.page.run_task(shell.go, "/inbox")),
        *_refused(shell, refused),
        *_defaults(shell, status),
        ft.Divider(),
        *_shared_list(shell, items),
        ft.ExpansionTile(title=ft.Text(_("What sharing means")), controls=[_what_it_means()]),
        *_unpair(shell),
    ]
    return Screen(title=_("Sharing"), controls=[page_body(controls)])
