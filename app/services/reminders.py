"""The daily check-in reminder: planned from the settings and today's check-ins, handed to the phone's scheduler.

`notifier` is set by the wiring on a phone build (flet-notifications; see docs/reminders.md) and stays
None in a browser, where the Today card is the reminder. Replanning happens when Regroup starts or
unlocks, when the check-in time or discreet mode changes, and when Regroup goes to the background
(after a check-in, so a day already checked in gets no reminder).
"""

from __future__ import annotations

import logging
from typing import Protocol

from app.reminders import Reminder, next_reminder
from app.runtime import Runtime
from app.store import Store
from app.store.checkins import checked_in_on
from app.store.settings import get_settings

log = logging.getLogger("regroup.reminders")


class Notifier(Protocol):
    async def schedule(self, reminder: Reminder) -> None:
        """Replace the pending reminder with this one."""

    async def cancel(self) -> None: ...


class ReminderService:
    def __init__(self, rt: Runtime):
        self._rt = rt
        self.notifier: Notifier | None = None

    async def next(self) -> Reminder | None:
        """The next reminder, or None when none is wanted (no time picked)."""
        def work(s: Store) -> Reminder | None:
            settings = get_settings(s)
            return next_reminder(s.clock.now(), zone=s.clock.zone, time=settings.checkin_time,
                                 checked_in_today=checked_in_on(s, s.clock.today().isoformat()), last_reminded=None,
                                 discreet=settings.discreet)
        return await self._rt.run(work)

    async def replan(self) -> Reminder | None:
        """Hand the next reminder to the phone (or cancel it); never fails the caller."""
        if self.notifier is None or self._rt.store is None:
            return None
        try:
            reminder = await self.next()
            if reminder is None:
                await self.notifier.cancel()
            else:
                await self.notifier.schedule(reminder)
            return reminder
        except Exception as exc:  # noqa: BLE001 - a reminder is a kindness, never a reason to fail
            log.error("reminder not scheduled: %s", exc.__class__.__name__)
            return None
