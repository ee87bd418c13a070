"""When a document was written, as far as it says: which generation of units its names mean.

Thanh Hóa's units changed on 1 July 2025: before, province → district → commune (the
"2024" generation, in force from 2020, renamed in places on 1 January 2025); from then,
province → commune/ward, no district (the "2025" generation). A name is read first
against the units in force when its document was written, the other generation
being a fallback whose use is noted.
"""
from __future__ import annotations

import datetime
from dataclasses import dataclass

REFORM = datetime.date(2025, 7, 1)
OLD, NEW = "2024", "2025"  # the generations, as `Unit.generation` and `Record.unit_generation` write them


@dataclass(frozen=True)
class Dating:
    """The document's year and date (either may be unknown). ``undated``: the document was
    read for them and gives neither, so a name both generations have is a doubt, flagged;
    ``Dating()`` alone, a name with no document behind it, reads the 2024 units as before."""

    year: int | None = None
    date: datetime.date | None = None
    undated: bool = False
    names: str = ""  # undated: the generation its place names point to (locality.names_generation)

    @classmethod
    def of_document(cls, year: int | None, date: datetime.date | None) -> Dating:
        """A document's dating: its date line counts when it fits its reporting year (a
        report on 2024 is written in 2024 or early 2025); another is some other document's."""
        if date is not None and year is not None and date.year not in (year, year + 1):
            date = None
        return cls(year, date, undated=year is None and date is None)

    @property
    def first(self) -> str:
        """The generation tried first. A 2025 report without a date is read as one of the
        new units: annual and second-half reports, which most 2025 reports are, are
        written after July by the units then in force; a first-half report has its date line."""
        if self.date is not None:
            return NEW if self.date >= REFORM else OLD
        if self.year is None and self.names:
            return self.names
        return NEW if self.year is not None and self.year >= 2025 else OLD

    @property
    def dated(self) -> bool:
        """Whether the document places itself on one side of the reform, so that a name of
        the other generation is a doubt worth a look."""
        return self.date is not None or self.year is not None

    @property
    def doubt(self) -> str:
        """Why a name that means different units in the two generations is not settled by
        the date ("" when it is)."""
        if self.date is None and self.year == 2025:
            return "a 2025 document without a date"
        if self.undated and not self.dated:
            return "no date says which generation of units is meant" + (
                "; its table names units only the 2025 generation has" if self.names == NEW else "")
        return ""

    @property
    def key(self) -> tuple:
        """What resolution depends on, notes included: a memo key."""
        return self.first, self.doubt, self.describe()

    def describe(self) -> str:
        if self.date is not None:
            return f"a document dated {self.date:%d/%m/%Y}"
        if self.year is not None:
            return f"a document of {self.year}"
        if self.names == NEW:
            return "an undated document naming 2025 units"
        return "an undated document" if self.undated else "no date given"


AS_BEFORE = Dating()
