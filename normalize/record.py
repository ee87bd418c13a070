"""The output row: one value with its provenance, as the CSV contract defines it."""
from __future__ import annotations

from dataclasses import asdict, dataclass, fields, replace

PHASES = ("target", "before", "after", "reported")
STATUSES = ("ok", "partial", "not_available", "none", "not_implemented", "unreadable")


@dataclass(frozen=True)
class Record:
    source_file: str
    page: int | None
    province: str
    district: str
    commune: str
    district_code: str
    commune_code: str
    year: int | None
    indicator_id: int
    indicator_name: str
    phase: str
    value: float | None
    qualifier: str
    status: str
    value_raw: str
    label_raw: str
    match_score: float
    ocr_conf: float | None
    needs_review: bool
    note: str
    source: str = ""  # text, ocr or dump: how the page was read
    successor_commune: str = ""  # the unit that took the commune over in the July 2025 reform
    successor_code: str = ""
    # Where the value stands on its page: x0, top, x1, bottom in points from the page's
    # top-left corner, in the page as read (turned upright and straightened, as
    # extract.model's coordinates); None where the reader had no box.
    bbox: tuple[float, float, float, float] | None = None
    decided_by: str = ""  # the corrections file whose human decision set or accepted this value
    # Which generation of units the unit belongs to: "2024" (province → district → commune, in
    # force until 30 June 2025) or "2025" (province → commune/ward, from 1 July 2025, no district).
    unit_generation: str = ""

    def __post_init__(self) -> None:
        if self.phase not in PHASES:
            raise ValueError(f"unknown phase {self.phase!r}")
        if self.status not in STATUSES:
            raise ValueError(f"unknown status {self.status!r}")

    def as_row(self) -> dict:
        return asdict(self)

    def doubted(self, why: str) -> Record:
        """The record flagged for review, ``why`` added to its note."""
        return replace(self, needs_review=True, note=f"{self.note}; {why}" if self.note else why)


COLUMNS = tuple(f.name for f in fields(Record))
