"""Take your data with you: export everything to one passphrase-protected file, import it on another device."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from app import exchange
from app.runtime import Runtime
from app.store import Store
from app.store import exchange as records

# What the counts in a result are called on screen (the journal and check-ins matter most to a person).
COUNTED = ("journal_entries", "checkins", "wellbeing", "worksheets", "journey_progress")


@dataclass(frozen=True)
class ExportFile:
    name: str
    data: bytes
    unreadable: int = 0  # values that could not be decrypted here, left out


@dataclass(frozen=True)
class ImportResult:
    added: int
    updated: int
    kept: int
    by_table: dict[str, dict[str, int]] = field(default_factory=dict)


def _result(counts: Counter) -> ImportResult:
    by_table: dict[str, dict[str, int]] = {}
    for (table, outcome), n in counts.items():
        by_table.setdefault(table, {})[outcome] = n
    total = lambda outcome: sum(n for (_, o), n in counts.items() if o == outcome)  # noqa: E731
    return ImportResult(total("added"), total("updated"), total("kept"), by_table)


class ExchangeService:
    def __init__(self, rt: Runtime):
        self._rt = rt
        # The sharing work sets this to queue what an imported edit of a shared record needs
        # (called inside the import's transaction with the store, the table and the changed ids).
        self.on_records_changed: records.Changed | None = None

    async def export_file(self, passphrase: str, *, name_prefix: str = "regroup") -> ExportFile:
        """Everything in one sealed file (read on the store's thread, sealed off it)."""
        def work(s: Store):
            tables, unreadable = records.read_all(s)
            return tables, unreadable, s.clock.stamp(), s.clock.today()
        tables, unreadable, now, today = await self._rt.run(work)
        payload = {"format": exchange.FORMAT, "exported_at": now, "tables": tables}
        data = await self._rt.thread.offload(exchange.seal, payload, passphrase, created_at=now)
        return ExportFile(f"{name_prefix}-{today.isoformat()}.json", data, unreadable)

    async def check_file(self, raw: bytes) -> None:
        """Before asking for the passphrase: AppError when the file is not an export this version can open."""
        exchange.read_header(raw)

    async def import_file(self, raw: bytes, passphrase: str) -> ImportResult:
        """Open the file whole (or change nothing), then merge every record in one transaction."""
        payload = await self._rt.thread.offload(exchange.open_sealed, raw, passphrase)
        counts = await self._rt.run(lambda s: records.merge_all(s, payload["tables"],
                                                                changed=self.on_records_changed))
        return _result(counts)
