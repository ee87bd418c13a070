"""Keys of bench_fidelity's truth and records: a document's commune by its name, and by its
district too where the document reports two communes of one name (Phường Ba Đình of
Thành phố Thanh Hóa and of Thị xã Bỉm Sơn in one deck)."""
from __future__ import annotations

import math
import unicodedata
from collections import defaultdict


def nfc(s) -> str:
    return unicodedata.normalize("NFC", "" if s is None or (isinstance(s, float) and math.isnan(s)) else str(s))


def key(source: str, commune: str, indicator, phase: str) -> tuple:
    return (source, nfc(commune) if phase != "target" else "", int(indicator), phase)


def shared_names(truth) -> frozenset:
    """(document, commune) of the communes a document's truth (a dict or its (key, row) pairs)
    reports under two or more districts (Phường Ba Đình of Thành phố Thanh Hóa and of Thị xã
    Bỉm Sơn in one deck)."""
    districts = defaultdict(set)
    for k, t in (truth.items() if isinstance(truth, dict) else truth):
        if k[3] != "target":
            districts[(k[0], nfc(t["commune"]))].add(nfc(t["district"]))
    return frozenset(dc for dc, ds in districts.items() if len(ds) > 1)


def place(shared: frozenset, source: str, commune, district) -> str:
    """A commune's name in the keys, its district added where the document shares the name."""
    name = nfc(commune)
    return f"{name} ({nfc(district)})" if (source, name) in shared else name


def record_key(rec, shared: frozenset) -> tuple:
    source = nfc(rec.source_file)
    return key(source, place(shared, source, rec.commune, rec.district), rec.indicator_id, nfc(rec.phase))
