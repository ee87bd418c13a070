"""The 2025 unit a garbled name of a document written after the reform most likely is.

OCR of a scan or a fax garbles a row's name ("Xã Tượng Lich", "Xổ Vận Xuâo", "Pnường Đông
Quang", "Xã Xâ Quảng Ngọc"): no unit is spelled so, and the frame rule of ``resolve``
(same consonants, one unit close) does not fit when a consonant or the type word went too.
A document of the new generation names one of the province's 2025 units, with no district:
the closest of them is taken when it is close and clearly closer than the runner-up, and a
name cut short by a lost line ("Xã Kim" for "Xã Kim / Tân") when one unit alone begins so.
Either is a reading, never a certainty: the match is always flagged, with its reason.
"""
from __future__ import annotations

from normalize.places.gazetteer import Gazetteer, Unit
from normalize.places.names import canon, closeness, nearest_by_letters, split_type, summary_label, type_word_like
from normalize.text.fold import fold

# Measured on the 93 row names of new-generation documents no unit is spelled as, in seeds
# 17000, 33000 (--reform all, 60 each) and 52000, 61000 (--reform communes --kinds
# fax,lowres / fax,scan,stamped,turned, 30 each): closeness >= 75 with the runner-up 10 behind
# and the nearest by letters agreeing read 44 of them, all right; the wrong readings had a
# runner-up within 6 ("Xã Thăng/Thạch Bình", "Luận/Hạc Thành") or disagreeing letters.
NEAR_MIN = 75.0
NEAR_MARGIN = 10.0
# The type words a garbled token at a name's head may stand for, folded.
_TYPE_WORDS = ("xa", "phuong")


def nearest_new(gz: Gazetteer, raw: str) -> tuple[Unit, str] | None:
    """(the 2025 unit ``raw`` most likely names, why) or None when no unit is clearly it."""
    return gz.memo(("nearest", raw), lambda: _nearest(gz, raw))


def _nearest(gz: Gazetteer, raw: str) -> tuple[Unit, str] | None:
    if summary_label(raw):
        return None  # "Trung bình" is close to Xã Trung Chính: an average, no unit
    _, label, name = split_type(raw)
    best = None
    for reading in _readings(name):
        ranked = _ranked(gz, canon(reading), label)
        if ranked and (best is None or ranked[0][0] > best[1][0][0]):
            best = (reading, ranked)
    if best is None:
        return None
    reading, ranked = best
    (score, unit), runner = ranked[0], ranked[1] if len(ranked) > 1 else (0.0, None)
    if score >= NEAR_MIN and score - runner[0] >= NEAR_MARGIN and nearest_by_letters(canon(reading), gz.index_2025.keys, unit.code):
        after = f"; next {runner[1].name} ({runner[0]:.0f})" if runner[1] else ""
        return unit, f"{name!r} read as the closest 2025 unit, {unit.name} ({score:.0f}{after})"
    return _cut_short(gz, name, label)


def _readings(name: str) -> list[str]:
    """The name as read, and without a head token that is a garbled or doubled type word
    ("Xâ Quảng Ngọc", "ưởng Hải Lính", "` Họ Lập")."""
    words = name.split()
    out = [name]
    if len(words) >= 2 and _type_like(words[0]):
        out.append(" ".join(words[1:]))
    return out


def _type_like(token: str) -> bool:
    key = fold(token, misreads=True).replace(" ", "")
    if not key:
        return True  # a speck or a stroke before the name
    return type_word_like(token, _TYPE_WORDS) or (len(key) >= 3 and "phuong".endswith(key))  # "Ph ường"'s tail


def _ranked(gz: Gazetteer, q: str, label: str) -> list[tuple[float, Unit]]:
    """The closest 2025 unit to ``q`` and its runner-up. Of two as close, the one of the type
    written is taken, its runner-up the next of that type ("Phường Đảng Tiến": Phường Đông
    Tiến, not Xã Đồng Tiến)."""
    if not q:
        return []
    scored = [(closeness(q, k), gz.communes_2025[c]) for c, k in gz.index_2025.keys.items()]
    scored.sort(key=lambda su: (su[0], bool(label) and su[1].type == label), reverse=True)
    top = scored[0]
    if len(scored) > 1 and label and scored[1][0] == top[0] and top[1].type == label != scored[1][1].type:
        return [top] + [su for su in scored[1:] if su[1].type == label][:1]
    return scored[:2]


def _cut_short(gz: Gazetteer, name: str, label: str) -> tuple[Unit, str] | None:
    """A one-word name written with its type ("Xã Kim"): the one 2025 unit of that type
    whose name begins with that word, its other word lost with a wrapped cell's last line
    (across the sets measured for NEAR_MIN: 4 read so, all right; 9 others left, several begin so)."""
    key = canon(name)
    if not label or not key or " " in key or _type_like(name):  # "Xã, phường": a header, no name
        return None
    units = [gz.communes_2025[c] for c, k in gz.index_2025.keys.items()
             if k.startswith(key + " ") and gz.communes_2025[c].type == label]
    if len(units) != 1:
        return None
    return units[0], f"{name!r} read as the one 2025 unit whose name begins so, {units[0].name} (cut short?)"
