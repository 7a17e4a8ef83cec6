"""A printable session summary of one member for the specialist's own notes: what they shared between two
days, with its own plain A4 layout (fpdf2; the server never imports the app's code, only its font files)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from server import humane

FONTS = Path(__file__).resolve().parents[1] / "assets" / "fonts"
INK, MUTED, LINE = (27, 31, 31), (74, 84, 83), (213, 220, 219)


def _in_range(moment: str | None, since: dt.date, until: dt.date, tz: str) -> bool:
    value = humane.parse(moment)
    return value is not None and since <= value.astimezone(humane.zone(tz)).date() <= until


def _printable(pdf: FPDF, text: str) -> str:
    """Characters the font has; others become a replacement mark rather than failing the whole PDF."""
    font = pdf.current_font
    glyphs = getattr(font, "cmap", None) or {}
    return "".join(ch if ord(ch) in glyphs or ch in "\n\t" else "?" for ch in text or "") if glyphs else text


class _Summary(FPDF):
    def __init__(self, title: str, made: str):
        super().__init__(format="A4", unit="mm")
        self.made = made
        self.add_font("Noto", "", str(FONTS / "NotoSans-Regular.ttf"))
        self.add_font("Noto", "B", str(FONTS / "NotoSans-Bold.ttf"))
        self.set_margins(18, 16, 18)
        self.set_auto_page_break(True, margin=18)
        self.set_title(title)
        self.set_lang("en")
        self.set_creator("Regroup for specialists")
        self.set_producer("")

    def footer(self) -> None:
        self.set_y(-13)
        self.set_font("Noto", "", 8)
        self.set_text_color(*MUTED)
        self.cell(0, 5, f"Confidential: for the specialist's own notes. Made {self.made}", align="L")
        self.set_x(self.l_margin)
        self.cell(0, 5, f"Page {self.page_no()} of {{nb}}", align="R")

    def heading(self, text: str) -> None:
        if self.will_page_break(24):
            self.add_page()
        self.ln(3)
        self.set_font("Noto", "B", 13)
        self.set_text_color(*INK)
        self.multi_cell(0, 7, _printable(self, text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_draw_color(*LINE)
        self.line(self.l_margin, self.get_y(), self.w - self.r_margin, self.get_y())
        self.ln(2)

    def para(self, text: str, *, bold: bool = False, muted: bool = False, size: float = 10.5) -> None:
        self.set_font("Noto", "B" if bold else "", size)
        self.set_text_color(*(MUTED if muted else INK))
        self.multi_cell(0, 5.5, _printable(self, text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(1)


def member_summary(family_name: str, member: dict, records: list[dict], down: list[dict], since: dt.date,
                   until: dt.date, tz: str, now: dt.datetime) -> bytes:
    """records: the member's live records (decoded); down: what was sent to them or the family."""
    def day(moment) -> str:
        return humane.format_date(humane.parse(moment).astimezone(humane.zone(tz)), "EEE d MMM y", locale=humane.LOCALE)

    def of(entity: str, field: str) -> list[dict]:
        return sorted((r["data"] for r in records if r["entity"] == entity and _in_range(r["data"].get(field), since,
                                                                                          until, tz)),
                      key=lambda d: d.get(field) or "")
    span = f"{humane.format_date(since, 'd MMMM y', locale=humane.LOCALE)} to " \
           f"{humane.format_date(until, 'd MMMM y', locale=humane.LOCALE)}"
    pdf = _Summary(f"{member['name']}, {family_name}: {span}", humane.exact(now, tz))
    pdf.add_page()
    pdf.set_font("Noto", "B", 18)
    pdf.multi_cell(0, 9, _printable(pdf, f"{member['name']} ({family_name})"), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.para(f"What {member['name']} shared from {span}. Times are in {tz}.", muted=True)

    checkins = of("checkin", "created_at")
    pdf.heading(f"Check-ins ({len(checkins)})")
    for c in checkins or []:
        stress = f", stress {c['stress']} of 10" if c.get("stress") is not None else ""
        pdf.para(f"{day(c['created_at'])}: mood {humane.mood_words(c['mood'])}{stress}")
    if not checkins:
        pdf.para("None in these dates.", muted=True)
    who5 = of("wellbeing", "created_at")
    pdf.heading(f"Wellbeing scores, WHO-5 ({len(who5)})")
    for w in who5:
        pdf.para(f"{day(w['created_at'])}: {w['score']} of 100{' (28 or lower)' if w['score'] <= 28 else ''}")
    if not who5:
        pdf.para("None in these dates.", muted=True)
    pdf.heading("Worksheets")
    sheets = of("worksheet", "updated_at")
    for w in sheets:
        pdf.para(f"{humane.worksheet_title(w)} (changed {day(w['updated_at'])})", bold=True)
        for label, value in humane.field_rows(w):
            shown = "; ".join(value) if isinstance(value, list) else (value or "not answered")
            pdf.para(f"{label}: {shown}")
    if not sheets:
        pdf.para("None changed in these dates.", muted=True)
    pdf.heading("Journal entries")
    entries = of("journal_entry", "created_at")
    for e in reversed(entries):
        pdf.para(f"{e.get('title') or 'Untitled'} ({day(e['created_at'])})", bold=True)
        pdf.para(e.get("body") or "")
    if not entries:
        pdf.para("None in these dates.", muted=True)
    pdf.heading("Messages")
    thread = [(d["created_at"], member["name"], d["body"]) for d in of("message", "created_at")]
    thread += [(c["data"]["created_at"], "You", c["data"].get("body") or humane.step_title(c["data"].get("step_id")))
               for c in down if c["entity"] in ("message", "recommendation")
               and _in_range(c["data"].get("created_at"), since, until, tz)]
    for when, who, body in sorted(thread):
        pdf.para(f"{who}, {day(when)}: {body}")
    if not thread:
        pdf.para("None in these dates.", muted=True)
    return bytes(pdf.output())
