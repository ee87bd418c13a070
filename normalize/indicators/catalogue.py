"""The 16 indicators of Decision 1829/QĐ-UBND, read from `data/indicators.json`."""
from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Iterator, Mapping

from normalize.text.fold import nfc

log = logging.getLogger(__name__)

DEFAULT_PATH = Path(__file__).resolve().parents[1] / "data" / "indicators.json"


@dataclass(frozen=True)
class Indicator:
    id: int
    group: str  # "A" digital government, "B" citizens and businesses
    name: str  # canonical Vietnamese name, NFC
    variants: tuple[str, ...]  # other wordings seen in real reports
    # year -> target as written ("80% trở lên"); a read-only mapping, left out of the hash
    targets: Mapping[int, str] = field(hash=False)

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.variants)


@dataclass(frozen=True)
class Catalogue:
    indicators: tuple[Indicator, ...]  # in id order
    decision: str = ""
    groups: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}), hash=False)
    pillars: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        ids = [i.id for i in self.indicators]
        if ids != sorted(set(ids)):
            raise ValueError(f"indicator ids must be unique and sorted, got {ids}")

    def __iter__(self) -> Iterator[Indicator]:
        return iter(self.indicators)

    def __len__(self) -> int:
        return len(self.indicators)

    @property
    def ids(self) -> tuple[int, ...]:
        return tuple(i.id for i in self.indicators)

    def get(self, indicator_id: int) -> Indicator:
        for indicator in self.indicators:
            if indicator.id == indicator_id:
                return indicator
        raise KeyError(f"no indicator {indicator_id} in the catalogue (ids {self.ids[0]}-{self.ids[-1]})")

    def target(self, indicator_id: int, year: int) -> str | None:
        """The target as written for `year`; for a year the catalogue lacks, the nearest
        known year's (the later one on a tie, as targets only ever rise)."""
        targets = self.get(indicator_id).targets
        if not targets:
            return None
        if year in targets:
            return targets[year]
        nearest = min(targets, key=lambda y: (abs(y - year), -y))
        log.debug("indicator %s has no target for %s; using %s", indicator_id, year, nearest)
        return targets[nearest]


def _indicator(entry: dict) -> Indicator:
    targets = {int(year): nfc(text) for year, text in entry.get("targets", {}).items()}
    return Indicator(
        id=int(entry["id"]),
        group=entry.get("group", ""),
        name=nfc(entry["name"]),
        variants=tuple(nfc(v) for v in entry.get("variants", ())),
        targets=MappingProxyType(dict(sorted(targets.items()))),
    )


@lru_cache(maxsize=8)
def _load(path: Path) -> Catalogue:
    with open(path, encoding="utf-8") as fh:
        data = json.load(fh)
    indicators = sorted((_indicator(e) for e in data["indicators"]), key=lambda i: i.id)
    return Catalogue(
        indicators=tuple(indicators),
        decision=data.get("decision", ""),
        groups=MappingProxyType({k: nfc(v) for k, v in data.get("groups", {}).items()}),
        pillars=tuple(nfc(p) for p in data.get("pillars", ())),
    )


def load_catalogue(path: str | Path | None = None) -> Catalogue:
    """The catalogue in `path` (default: the one shipped in `normalize/data`), read once."""
    return _load(Path(path or DEFAULT_PATH).resolve())
