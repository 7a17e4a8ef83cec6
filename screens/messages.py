"""Error codes into words: the one place a screen finds what to tell the person (DESIGN.md, example 9).

Every code of app.errors.CODES has its words here (a test holds it): a known code never
falls back to the generic sentence, which is kept for faults nobody planned for.
"""

from __future__ import annotations

import logging
from typing import Callable

from app.domain import MAX_CUSTOM_TAG, MAX_TAGS, MAX_TITLE
from app.errors import AppError
from app.i18n import _, format_number, ngettext

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
    "crypto_unavailable": lambda: _("This browser cannot encrypt what you write, so Regroup stores nothing here. "
                                    "Please open it in an up-to-date browser."),
    "not_in_browser": lambda: _("This browser cannot do this part of Regroup: a PIN, a passphrase and export "
                                "files need an up-to-date browser. Everything else works, and what you write is "
                                "still encrypted."),
    "empty_entry": lambda: _("Write something first: an empty entry is not saved."),
    "worksheet_empty": lambda: _("Fill in at least one answer first; then you can share it."),
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
    "invalid_text_scale": lambda: _("That text size is not one Regroup offers. Please choose another."),
    "invalid_reduce_motion": lambda: _("Reduce motion is either on or off. Please choose again."),
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
    "pair_server_missing": lambda: _("Type the address of your specialist's server."),
    "pair_server_invalid": lambda: _("That does not look like a server address. It looks like "
                                     "https://regroup.example.org"),
    "pair_server_insecure": lambda: _("Regroup only connects to an address that starts with https://, so that "
                                      "nobody on the way can read what you share. Ask your specialist for the "
                                      "https address."),
    "pair_server_elsewhere": lambda: _("In a web browser, Regroup can pair only with the server it was opened "
                                       "from. Open the Regroup address your specialist gave you, and pair there."),
    "pair_code_format": lambda: _("A pairing code has 12 letters and numbers, like ABCD-EFGH-JKLM. Please check "
                                  "it and try again."),
    "pair_link_invalid": lambda: _("That is not a Regroup pairing link. It starts with regroup://pair"),
    "pair_name_invalid": lambda: _("Type your name as your specialist will see it (up to 80 characters)."),
    "invalid_code": lambda: _("That code is not known. Please check it, or ask your specialist for a new one."),
    "used_code": lambda: _("That code has already been used. Each code works once: ask your specialist for a "
                           "new one."),
    "expired_code": lambda: _("That code has expired (codes last 15 minutes). Ask your specialist for a new one."),
    "rate_limited": lambda: _("There have been too many tries. Please wait a little and try again."),
    "server_unreachable": lambda: _("The server could not be reached. Check that you are online and that the "
                                    "address is right."),
    "server_error": lambda: _("The server answered in a way Regroup did not expect. Nothing on this phone "
                              "changed; Regroup will try again later."),
    "client_too_old": lambda: _("Your specialist's server needs a newer version of Regroup. Please update the "
                                "app, then pair again."),
    "already_paired": lambda: _("This phone is already connected to a specialist. Unpair first to connect to "
                                "another."),
    "not_paired": lambda: _("This phone is not connected to a specialist yet."),
    "connection_closed": lambda: _("This phone is no longer connected to your specialist. What you shared before "
                                   "stays with them unless they erase it. Everything on this phone is kept."),
    "share_refused": lambda: _("This was removed from your specialist's records, so it cannot be shared again. "
                               "It stays on this phone."),
}

# Why the server refused one shared record (SYNC.md's per-op codes), in words.
REFUSALS: dict[str, Callable[[], str]] = {
    "too_long": lambda: _("It is too long for your specialist's server."),
    "too_large": lambda: _("It is too large to send."),
    "invalid_text": lambda: _("It holds a character that cannot be sent. Try typing that part again."),
    "deleted": lambda: _("You deleted this on another phone, so it cannot be shared again. It stays here."),
    # (erased by the specialist, or by this member unpairing another phone with "erase": words for either)
    "erased": lambda: _("This was removed from your specialist's records, so it cannot be shared again. "
                        "It stays on this phone."),
    "revoked": lambda: _("You stopped sharing it from another phone. Share it again here if you want to."),
}


def refusal(code: str | None) -> str:
    """Words for a per-record refusal; codes that mean a fault in Regroup itself share one sentence."""
    words = REFUSALS.get(code or "")
    return words() if words else _("Your specialist's server could not accept it. This is a fault in Regroup, "
                                   "not something you did.")


def text(code: str) -> str:
    """The words for an error code, in the person's language."""
    return MESSAGES[code]()


def describe(exc: BaseException, *, what: str) -> str:
    """Words for any failure: the code's own words, or a calm general sentence for an unplanned fault.

    `what` names the action for the log ("entry not saved"); the log gets the class, never a message."""
    if isinstance(exc, AppError):
        log.info("%s: %s", what, exc.code)
        wait = getattr(exc, "retry_after", None)
        if exc.code == "rate_limited" and wait:
            minutes = max(1, round(wait / 60))
            return ngettext("There have been too many tries. Please try again in about {minutes} minute.",
                            "There have been too many tries. Please try again in about {minutes} minutes.",
                            minutes).format(minutes=minutes)
        return text(exc.code)
    log.error("%s: %s", what, exc.__class__.__name__)
    return _("Something went wrong. Nothing you saved before has been lost; please try again.")
