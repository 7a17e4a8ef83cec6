"""The printable summary: a real PDF, rendered to PNG here, with text, charts and only the ticked entries."""

from __future__ import annotations

import asyncio
import datetime as dt
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from app import summary_pdf
from app.clock import FixedClock
from app.demo_data import generate
from app.services import Services
from app.services.summary import SummaryOptions

SCREENSHOTS = Path(__file__).resolve().parent / "e2e" / "screenshots"
NOW = "2026-11-26T10:30:00Z"
TICKED = "Canary 2a4f: I told him I love him and that I will not lie for him any more."
PLAN = "Su hermana, la tía Begoña: ¿quién más? Él confía en ella. Ñandú, 😢, 中文"


def pdf_text(path_or_bytes) -> str:
    doc = pdfium.PdfDocument(path_or_bytes)
    return "\n".join(page.get_textpage().get_text_range() for page in doc)


def render_pages(data: bytes, name: str) -> list:
    """Every page as an image (also saved beside the browser screenshots, for a person to look at)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    images = []
    for i, page in enumerate(pdfium.PdfDocument(data)):
        image = page.render(scale=1.5).to_pil().convert("RGB")
        image.save(SCREENSHOTS / f"summary-{name}-page{i + 1}.png")
        images.append(image)
    return images


def coloured_pixels(image, colour, tolerance: int = 40) -> int:
    r0, g0, b0 = colour
    raw = image.tobytes()
    return sum(1 for i in range(0, len(raw), 3)
               if abs(raw[i] - r0) + abs(raw[i + 1] - g0) + abs(raw[i + 2] - b0) < tolerance)


@pytest.fixture(scope="module")
def summary(tmp_path_factory):
    """A year of check-ins and entries, a plan with Spanish and characters the font lacks, one ticked entry."""
    data_dir = tmp_path_factory.mktemp("summary") / "data"
    generate(data_dir, years=1, entries=300, checkin_count=600, clock=FixedClock(NOW, zone="Europe/Madrid"))

    async def go():
        services = Services(data_dir, clock=FixedClock(NOW, zone="Europe/Madrid"))
        await services.start()
        await services.update_settings(display_name="María José", country="ES")
        ticked = (await services.journal.save_entry(body=TICKED, title="Después de la llamada")).entry
        await services.journeys.save_worksheet("reapproach.plan", {"who": PLAN, "format": "one_to_one"})
        await services.journeys.open_step("reapproach.plan")
        day_from, day_to = services.summary.default_range()
        offered = await services.summary.entries_in(day_from, day_to)
        chosen = await services.summary.make_pdf(SummaryOptions(day_from, day_to, (ticked.id,)), country="ES")
        none = await services.summary.make_pdf(SummaryOptions(day_from, day_to), country="ES", app_name=None,
                                               name_prefix="notes")
        await services.close()
        return offered, ticked, chosen, none
    return asyncio.run(go())


def test_the_summary_holds_every_part_in_words(summary):
    offered, ticked, file, _ = summary
    assert file.name == "regroup-summary-2026-08-29-to-2026-11-26.pdf"
    text = pdf_text(file.data)
    for words in ("Summary for my session", "María José", "From Aug 29, 2026 to Nov 26, 2026", "Mood and stress",
                  "mood averaged", "Wellbeing (WHO-5)", "not a diagnosis", "After the intervention",
                  "steps done", "now at:", "Your re-approach plan", "Who will take part, and why them?",
                  "A quiet one-to-one conversation", "Journal entries I chose to bring", TICKED,
                  "If you need help now: Spain", "112", "Page 1 of"):
        assert words in " ".join(text.split()), words
    assert "Su hermana, la tía Begoña: ¿quién más? Él confía en ella. Ñandú," in text  # Spanish prints as typed
    assert "\ufffd" in text  # the emoji and the Chinese print as a visible mark, not nothing
    assert ticked.id in {e.id for e in offered}


def test_dates_are_on_the_chart_axes_and_the_charts_are_drawn(summary):
    _, _, file, _ = summary
    text = pdf_text(file.data)
    for label in ("Aug 29", "Sep 16", "Oct 4", "Oct 21", "Nov 8", "Nov 26"):
        assert label in text, label
    first = render_pages(file.data, "ticked")[0]
    assert coloured_pixels(first, summary_pdf.MOOD) > 400     # the mood line
    assert coloured_pixels(first, summary_pdf.STRESS) > 400   # the stress line
    assert coloured_pixels(first, summary_pdf.WHO5) > 100     # the WHO-5 scores


def test_no_journal_entry_is_printed_unless_ticked_and_discreet_names_no_app(summary):
    _, _, _, file = summary
    text = pdf_text(file.data)
    render_pages(file.data, "default")
    assert TICKED not in " ".join(text.split()) and "Journal entries I chose to bring" not in text
    assert file.name.startswith("notes-summary-")
    assert "Regroup" not in text and b"Regroup" not in file.data  # not in the words, nor the metadata


def test_the_pdf_is_dated_by_the_apps_clock_not_the_machines(summary):
    _, _, file, _ = summary
    assert b"D:20261126" in file.data


def test_a_character_the_font_lacks_becomes_a_visible_mark():
    assert summary_pdf.printable("día 😢 中") == "día \ufffd \ufffd"
    assert summary_pdf.short_date(dt.date(2026, 9, 3), 90) == "Sep 3"
    assert summary_pdf.short_date(dt.date(2026, 9, 3), 800) == "Sep 2026"
