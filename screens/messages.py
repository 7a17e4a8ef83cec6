"""Error codes into words: the one place a screen finds what to tell the person (DESIGN.md, example 9).

Every code of app.errors.CODES has its words here (a test holds it): a known code never
falls back to the generic sentence, which is kept for faults nobody planned for.
"""

from __future__ import annotations

import logging
from typing import Callable

from app.domain import MAX_CUSTOM_TAG, MAX_TAGS, MAX_TITLE
from app.errors import AppError
from app.i18n import _, format_number

log = logging.getLogger("regroup.ui")

MESSAGES: dict[str, Callable[[], str]] = {
    "store_corrupt": lambda: _("The file that holds your journal and settings is damaged. Regroup has not "
                               "changed it."),
    "store_failed": lambda: _("Something on this device stopped Regroup from opening its data folder."),
    "store_closed": lambda: _("Regroup's data is not open right now. Please close Regroup and open it again."),
    "disk_full": lambda: _("This device is out of space, so this could not be saved. Free some space and try "
                           "again; what you typed is still here."),
    "key_missing": lambda: _("Your saved data is encrypted, but the key that opens it is not on this device. "
                             "If you restored or moved the app, bring the key file back and reopen Regroup."),
    "key_wrong": lambda: _("The key on this device does not open your saved data. Regroup has not changed "
                           "either."),
    "decrypt_failed": lambda: _("Part of your saved data could not be read on this device. The rest is safe."),
    "empty_entry": lambda: _("Write something first: an empty entry is not saved."),
    "text_too_long": lambda: _("This is longer than {max} characters. Please split it in two.").format(
        max=format_number(100_000)),
    "title_too_long": lambda: _("The title is too long: {max} characters at most.").format(max=MAX_TITLE),
    "tag_too_long": lambda: _("A tag can be up to {max} characters.").format(max=MAX_CUSTOM_TAG),
    "too_many_tags": lambda: _("An entry can have up to {max} tags.").format(max=MAX_TAGS),
    "unknown_tag": lambda: _("One of the tags is not one Regroup knows. Please choose the tags again."),
    "not_found": lambda: _("This was deleted, so it is no longer here."),
    "invalid_checkin": lambda: _("Something in this check-in is not one of the choices. Please choose again."),
    "invalid_wellbeing": lambda: _("Please answer all five questions."),
    "unknown_theme": lambda: _("That theme is not one Regroup offers."),
    "unknown_language": lambda: _("That language is not available yet."),
    "unknown_country": lambda: _("Regroup has no help lines for that country yet."),
    "invalid_time": lambda: _("That time is not one Regroup can use. Please choose another."),
    "invalid_lock_time": lambda: _("That waiting time is not one Regroup offers. Please choose another."),
    # the PIN lock
    "locked": lambda: _("Regroup is locked. Unlock it with your PIN or passphrase to go on."),
    "pin_format": lambda: _("A PIN is 4 to 8 digits."),
    "passphrase_short": lambda: _("A passphrase needs at least 12 characters, and not only digits. A few "
                                  "words you will remember work well."),
    "pin_wrong": lambda: _("That is not the right PIN or passphrase. Nothing has been changed."),
    "pin_wait": lambda: _("Too many tries in a row. Please wait a little before the next one; your data is "
                          "safe and nothing has been changed."),
    "pin_mismatch": lambda: _("The two entries are not the same. Please type them again."),
    # export and import
    "import_wrong_passphrase": lambda: _("This passphrase does not open the file. Check it and try again (if "
                                         "you are sure of it, the file may be damaged). Nothing has been "
                                         "changed."),
    "import_truncated": lambda: _("This file is incomplete or damaged, so nothing was imported. If you can, "
                                  "copy it again from where you saved it."),
    "import_newer_format": lambda: _("This file was saved by a newer version of Regroup. Update Regroup on this "
                                     "device, then try again. Nothing has been changed."),
    "import_not_regroup": lambda: _("This is not a file exported from Regroup. Nothing has been changed."),
    # erase everything
    "erase_confirm": lambda: _("Type the word exactly as shown to confirm. Nothing has been erased."),
    "unpair_failed": lambda: _("Your specialist's server could not be reached, so what you shared is still "
                               "there and nothing has been erased. Try again when you are online, or erase "
                               "this device only."),
    "content_invalid": lambda: _("A content file on this device is damaged. Your saved answers are safe."),
}


def text(code: str) -> str:
    """The words for an error code, in the person's language."""
    return MESSAGES[code]()


def describe(exc: BaseException, *, what: str) -> str:
    """Words for any failure: the code's own words, or a calm general sentence for an unplanned fault.

    `what` names the action for the log ("entry not saved"); the log gets the class, never a message."""
    if isinstance(exc, AppError):
        log.info("%s: %s", what, exc.code)
        return text(exc.code)
    log.error("%s: %s", what, exc.__class__.__name__)
    return _("Something went wrong. Nothing you saved before has been lost; please try again.")
