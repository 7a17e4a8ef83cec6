"""Every error code a person can meet has its own words: no known code falls back to the generic sentence."""

from __future__ import annotations

import logging
import re
from pathlib import Path

import pytest

from app.errors import CODES, AppError
from app.i18n import set_language
from screens import messages

ROOT = Path(__file__).resolve().parent.parent
GENERIC = messages.describe(RuntimeError("unplanned"), what="test")


@pytest.mark.parametrize("code", sorted(CODES))
def test_each_code_has_its_own_words(code):
    set_language("en")
    words = messages.describe(AppError(code, "detail for the log only"), what="test")
    assert words == messages.text(code)
    assert words and words != GENERIC and "detail for the log only" not in words


def test_the_table_holds_exactly_the_codes():
    assert set(messages.MESSAGES) == set(CODES)


def test_an_unknown_code_is_a_programming_error():
    with pytest.raises(ValueError):
        AppError("disk_fll")


def test_every_code_raised_in_the_app_is_known():
    """Codes written in the source (AppError("x"), StoreError("x") ...) are all in the table."""
    pattern = re.compile(r'(?:AppError|StoreError|CryptoError)\(\s*"([a-z_]+)"')
    found = {m.group(1) for p in (ROOT / "app").rglob("*.py") for m in pattern.finditer(p.read_text())}
    assert found and found <= CODES


def test_the_log_gets_the_code_or_class_never_the_message(caplog):
    secret = "what the person typed 4f2a"
    with caplog.at_level(logging.INFO):
        messages.describe(AppError("disk_full", secret), what="entry not saved")
        messages.describe(ValueError(secret), what="entry not saved")
    assert "disk_full" in caplog.text and "ValueError" in caplog.text and secret not in caplog.text


def test_every_refusal_a_person_can_cause_or_meet_has_words():
    from app.sync.protocol import REJECTIONS
    personal = {"too_long", "too_large", "invalid_text", "deleted", "erased", "revoked"}
    assert personal <= set(messages.REFUSALS) <= set(REJECTIONS)
    generic = messages.refusal("unknown_field")
    assert all(messages.refusal(c) != generic for c in personal)
    # another member's record, an op id taken: faults in Regroup, never words that hint at someone else's data
    assert messages.refusal("not_owner") == messages.refusal("op_id_taken") == generic


def test_a_rate_limit_says_how_long_to_wait():
    from app.sync.client import RateLimited
    assert "about 4 minutes" in messages.describe(RateLimited(240), what="pairing")
