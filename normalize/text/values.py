"""Table cells as read ("80% trở lên", "Lãnh đạo", "6750%", "gqe") to values.

`parse_value` reads one cell. `tokenize_values` and `split_label_and_values` cut a line
of text (a text dump, or OCR that ran a table row together) into its cells. A value is
never guessed: what cannot be read is `unreadable`, and a repaired value says so.
"""
from __future__ import annotations

import functools
import logging
import re
from dataclasses import dataclass

from rapidfuzz import fuzz

from normalize.text.fold import fold, nfc
from normalize.text.misreads import mend_misreads

log = logging.getLogger(__name__)

# Status words by status, folded and without spaces ("Lanhdao" is how OCR joins them).
_STATUS_WORDS = {
    "partial": ("lanhdao",),
    "not_available": ("chuaco",),
    "none": ("khong",),
    "not_implemented": ("chuathuchien", "chuatrienkhai"),
}
# High enough that "Chưa" alone (the first half of a wrapped "Chưa thực hiện", 80 against
# "chuaco") stays unreadable, low enough for "Khoéng" (91 against "khong").
_STATUS_CUTOFF = 85.0
# Digits and symbols OCR puts in status and qualifier words: "Chua c6", "tr¢ Ién", "1én".
_WORD_DIGITS = str.maketrans({"6": "o", "0": "o", "¢": "e", "€": "e", "|": "l"})
_OUTER_JUNK = " |[](){}'‘’\"“”`.,;:_-—~*"

_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_PERCENT_TOKEN = re.compile(r"(?:≥|>=|>)?\d+(?:[.,]\d+)*%")
_BARE_TOKEN = re.compile(r"\d{1,3}(?:[.,]\d{1,2})?")
# "trở lên" and its OCR forms, compacted: "tro len", "tre 1en", "trd 16n", "tr¢ Ién".
_QUALIFIER_ONE = re.compile(r"tr[a-z]?[l1i][a-z0-9]?n")
_QUALIFIER_HEAD = re.compile(r"tr[a-z]?")
_QUALIFIER_TAIL = re.compile(r"[l1i][a-z0-9]{0,2}")
_QUALIFIER_LONE_TAIL = re.compile(r"[l1i][e6oa]?n")  # "lên" whose "trở" the scan lost
_PREFIX_WORDS = {"dat": "", "tu": "", "tren": "trên", "hon": "hơn"}  # "đạt 85%", "trên 90%"
_SEPARATOR = re.compile(r"[|\[\]]")
# A cell OCR destroyed between two separators is short: "M", "gqe", "g0, o 15y".
_MAX_GARBAGE_CHARS = 15


@dataclass(frozen=True)
class ParsedValue:
    value: float | None  # percent
    qualifier: str  # ">=" for "trở lên", else ""
    status: str  # one of record.STATUSES
    repaired: bool = False
    note: str = ""
    raw: str = ""
    doubtful: bool = False  # read, but a human should look (a qualifier half lost)


def _compact(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", fold(text.translate(_WORD_DIGITS)))


@functools.lru_cache(maxsize=8192)  # prose asks it of every window of words, many times over
def status_of(text: str) -> str | None:
    """The status a word cell names ("Lãnh đạo" → partial), or None."""
    key = _compact(text)
    if not key or any(c.isdigit() for c in key):
        return None
    best = max(
        ((fuzz.ratio(key, word), status) for status, words in _STATUS_WORDS.items() for word in words),
        key=lambda sw: sw[0],
    )
    return best[1] if best[0] >= _STATUS_CUTOFF else None


def _qualifier_words(tokens: list[str]) -> int:
    """How many of the leading tokens spell "trở lên" (0, 1 or 2)."""
    keys = [_compact(t) for t in tokens[:2]]
    if keys and _QUALIFIER_ONE.fullmatch(keys[0]):
        return 1
    if len(keys) == 2 and _QUALIFIER_HEAD.fullmatch(keys[0]) and _QUALIFIER_TAIL.fullmatch(keys[1]):
        return 2
    return 0


def _to_float(number: str, percent: bool) -> float:
    """Vietnamese writes 99,5 and 2.381; OCR of a percentage also gives 99.5."""
    if "," in number and "." in number:
        number = number.replace(".", "").replace(",", ".")
    elif number.count(",") == 1:
        number = number.replace(",", ".")
    elif number.count(".") == 1:
        if not percent and len(number.split(".")[1]) == 3:
            number = number.replace(".", "")
    else:
        number = number.replace(",", "").replace(".", "")
    return float(number)


def _repair(digits: str) -> tuple[float | None, str]:
    """A percentage over 100 that lost its decimal comma: "6750%" was 67,50%."""
    if digits == "1000":
        return None, "read '1000%': 100% or 10,00%?"
    if len(digits) not in (3, 4):
        return None, f"read '{digits}%', over 100%"
    fixed = f"{digits[:2]},{digits[2:]}"  # 4 digits: dd,dd; 3 digits: dd,d
    return float(fixed.replace(",", ".")), f"read '{digits}%', decimal comma assumed: {fixed}%"


def _unreadable(raw: str, note: str) -> ParsedValue:
    return ParsedValue(None, "", "unreadable", False, note, raw)


def parse_value(raw: str) -> ParsedValue:
    """One cell as a percentage, a qualifier and a status."""
    raw = raw or ""
    text = nfc(raw).strip(_OUTER_JUNK)
    if not text:
        return _unreadable(raw, "empty cell")
    status = status_of(text)
    if status:
        return ParsedValue(None, "", status, False, "", raw)
    qualifier, notes = "", []
    for mark in ("≥", ">=", ">"):
        if text.startswith(mark):
            qualifier, text = ">=", text[len(mark):].lstrip()
            if mark == ">":
                notes.append("written '>', read as '>='")
            break
    text, misread = mend_misreads(text)
    notes.extend(misread)
    tokens = text.split()
    while tokens and fold(tokens[0]) in _PREFIX_WORDS and len(tokens) > 1:
        word = _PREFIX_WORDS[fold(tokens.pop(0))]
        if word:
            qualifier = ">="
            notes.append(f"written '{word}', read as '>='")
    text = " ".join(tokens)
    m = re.match(r"(?P<num>\d+(?:[.,]\d+)*)\s*(?P<pct>%)?(?=\s|$)\s*(?P<rest>.*)$", text)
    if not m:
        if re.fullmatch(r"(?i)ch[uư]a", text):
            return _unreadable(raw, "incomplete status 'Chưa': the rest of the cell is missing")
        return _unreadable(raw, f"not a value: {text!r}")
    number, percent, rest = m.group("num"), bool(m.group("pct")), m.group("rest").strip()
    value = _to_float(number, percent)
    repaired = bool(misread)
    if value > 100:
        if not percent:
            return _unreadable(raw, f"{number} is not a percentage")
        if not number.isdigit():
            return _unreadable(raw, f"read '{number}%', over 100%")
        value, note = _repair(number)
        if value is None:
            return _unreadable(raw, note)
        repaired = True
        notes.append(note)
    found, doubtful, rest = _qualifier(rest, notes)
    qualifier = found or qualifier  # "≥ 80%" said it before the number
    fraction = _FRACTION.fullmatch(rest)
    if fraction:  # "96,77% (30/31)": the count the percentage was worked out from
        note, agrees = _check_fraction(number, value, fraction)
        notes.append(note)
        doubtful = doubtful or not agrees
    elif rest:
        if "%" in rest or _PERCENT_TOKEN.search(rest):
            return _unreadable(raw, f"several values in one cell: {text!r}")
        notes.append(rest if fold(rest).startswith("theo") else f"extra text: {rest!r}")
    return ParsedValue(value, qualifier, "ok", repaired, "; ".join(notes), raw, doubtful)


def _qualifier(rest: str, notes: list[str]) -> tuple[str, bool, str]:
    """The qualifier after a number ("trở lên" → ">="), whether it is a guess, and what is left."""
    tokens = rest.split()
    used = _qualifier_words(tokens)
    if used:
        return ">=", False, " ".join(tokens[used:]).strip(_OUTER_JUNK)
    if tokens and _QUALIFIER_LONE_TAIL.fullmatch(_compact(tokens[0])):
        # the scan lost half of "trở lên": most likely it was there
        notes.append(f"qualifier cut short: {tokens[0]!r} without 'trở'")
        return ">=", True, " ".join(tokens[1:]).strip(_OUTER_JUNK)
    if len(tokens) == 1 and _QUALIFIER_HEAD.fullmatch(_compact(tokens[0])):
        notes.append(f"qualifier cut short: {tokens[0]!r} without 'lên'")
        return ">=", True, ""
    return "", False, rest


_FRACTION = re.compile(r"\(?\s*(\d{1,3}(?:\.\d{3})*|\d+)\s*/\s*(\d{1,3}(?:\.\d{3})*|\d+)\s*(?:người|hộ|ho|nguoi)?\s*\)?",
                       re.IGNORECASE)


def _check_fraction(number: str, value: float, m: re.Match) -> tuple[str, bool]:
    """Whether n/d gives the stated percentage as it is printed: rounded (half a unit of its
    last digit either way) or truncated (up to a unit below the share), as offices do both.
    A printed value above the share by more than half a unit was misread ("68,75% (11/16)"
    read "68,76%")."""
    n, d = (int(g.replace(".", "")) for g in m.groups())
    if d == 0 or n > d:
        return f"{n}/{d} is no share: the percentage or the count was read wrong?", False
    decimals = len(re.split(r"[.,]", number)[1]) if re.search(r"[.,]", number) else 0
    share = 100.0 * n / d
    unit = 10.0 ** -decimals
    if -0.5 * unit - 1e-9 <= share - value < unit - 1e-9:
        return f"{n}/{d} checked", True
    return f"{n}/{d} is {share:.{max(decimals, 1)}f}%, not {number}%: one of them was read wrong", False


# ---------------------------------------------------------------- cutting lines into cells


@dataclass(frozen=True)
class _Item:
    start: int  # offsets into the NFC line
    end: int
    kind: str  # "cell", "bare" (a number with no %), "word", "sep"


def _bare_number(token: str) -> bool:
    token = token.strip(".,;:")
    return bool(_BARE_TOKEN.fullmatch(token)) and _to_float(token, True) <= 100


def _is_percent(token: str) -> bool:
    return bool(_PERCENT_TOKEN.fullmatch(token.strip(".,;:()")))


def _scan(line: str) -> list[_Item]:
    """Tokens of a line grouped into cells, leftover words and separators."""
    spans = [(m.start(), m.end()) for m in re.finditer(r"[|\[\]]|[^\s|\[\]]+", line)]
    toks = [line[a:b] for a, b in spans]
    items: list[_Item] = []
    i = 0

    def words_from(k: int, limit: int) -> list[str]:
        out = []
        while k < len(toks) and len(out) < limit and not _SEPARATOR.fullmatch(toks[k]):
            if _is_percent(toks[k]) or _NUMBER.fullmatch(toks[k].strip(".,;:")):
                break
            out.append(toks[k])
            k += 1
        return out

    while i < len(toks):
        tok, start = toks[i], spans[i][0]
        if _SEPARATOR.fullmatch(tok):
            items.append(_Item(start, spans[i][1], "sep"))
            i += 1
            continue
        j = i + 1
        if _is_percent(tok) or (_NUMBER.fullmatch(tok) and j < len(toks) and toks[j] == "%"):
            j += 1 if not _is_percent(tok) else 0
            j += _qualifier_words(words_from(j, 2))
            if j < len(toks) and fold(toks[j]) == "theo":
                # "30% trở lên Theo QĐ số 1829": a reference that belongs to the cell
                j += 1
                while j < len(toks) and j - i < 8 and not _SEPARATOR.fullmatch(toks[j]) and not _is_percent(toks[j]):
                    j += 1
            items.append(_Item(start, spans[j - 1][1], "cell"))
        elif _bare_number(tok):
            items.append(_Item(start, spans[i][1], "bare"))
        else:
            window = words_from(i, 3)
            size = next((n for n in range(len(window), 0, -1) if status_of(" ".join(window[:n]))), 0)
            if size:
                j = i + size
                items.append(_Item(start, spans[j - 1][1], "cell"))
            elif _compact(tok) == "chua":
                items.append(_Item(start, spans[i][1], "cell"))  # a wrapped "Chưa / thực hiện"
            else:
                items.append(_Item(start, spans[i][1], "word"))
        i = j
    return items


def _word_groups(items: list[_Item]) -> list[_Item]:
    """Merge neighbouring words (not across a separator) into one item."""
    out: list[_Item] = []
    for it in items:
        if it.kind == "word" and out and out[-1].kind == "word":
            out[-1] = _Item(out[-1].start, it.end, "word")
        else:
            out.append(it)
    return out


def tokenize_values(text: str) -> list[str]:
    """The cells of a run of value cells, in order; words between cells are one cell each
    group (an unreadable cell), separators '|' split groups."""
    line = nfc(text)
    line = re.sub(r"%(?=\w)", "% ", line)
    return [line[it.start:it.end].strip() for it in _word_groups(_scan(line)) if it.kind != "sep"]


def _trailing_run(line: str, items: list[_Item]) -> int:
    """Index in `items` where the trailing run of value cells starts (len(items) if none)."""
    k = len(items)
    while k > 0:
        it = items[k - 1]
        if it.kind in ("cell", "bare", "sep"):
            k -= 1
            continue
        # A short group of words standing alone between separators (or a separator and
        # the end of the line) inside the run is a cell OCR destroyed: "| M | gqe".
        before_sep = k - 2 >= 0 and items[k - 2].kind == "sep"
        after_sep = k == len(items) or items[k].kind == "sep"
        if before_sep and after_sep and len(line[it.start:it.end]) <= _MAX_GARBAGE_CHARS:
            k -= 1
            continue
        break
    while k < len(items) and items[k].kind == "sep":
        k += 1
    run = [it for it in items[k:] if it.kind != "sep"]
    first = line[run[0].start:run[0].end] if run else ""
    if run[1:] and run[0].kind == "bare" and re.fullmatch(r"\d{1,2}", first) and not line[:run[0].start].strip(" |["):
        # "16 100% 100% …": a row number opening a line of cells is not a cell
        k = items.index(run[0]) + 1
        run = run[1:]
    if not any(it.kind == "cell" for it in run) and len(run) < 2:
        return len(items)  # a lone number ends a label ("... 15", a row number "10")
    if all(it.kind == "word" for it in run):
        return len(items)
    return k


def _is_junk(token: str) -> bool:
    """A token no clean label has: letters mixed with digits ("g0", "15y") or odd marks."""
    core = token.strip("(),.;:")
    mixed = any(c.isdigit() for c in core) and any(c.isalpha() for c in core)
    return mixed or bool(re.search(r"[^\w\s(),.;:/%-]", core))


def _recover_cell(line: str, label_items: list[_Item]) -> int | None:
    """Where, in the label, one cell that OCR garbled starts: a "Theo ..." reference, a
    short segment after the last separator, or trailing junk tokens."""
    spans = [(m.start(), m.end()) for m in re.finditer(r"[^\s|\[\]]+", line[: label_items[-1].end])]
    for a, b in spans[-4:]:
        if line[a:b] == "Theo":  # capital: a new cell, not "theo quy định" inside a label
            return a
    last_sep = max((n for n, it in enumerate(label_items) if it.kind == "sep"), default=-1)
    if 0 <= last_sep < len(label_items) - 1:
        start = label_items[last_sep + 1].start
        segment = line[start:label_items[-1].end]
        if len(segment.split()) <= 3 and len(segment) <= _MAX_GARBAGE_CHARS:
            return start
    for a, b in spans[-3:]:
        if _is_junk(line[a:b]):
            return a
    return None


def split_label_and_values(text: str, *, expected: int | None = None) -> tuple[str, list[str]]:
    """An indicator label and the run of value cells that ends the line.

    With `expected` (the table's cell count), extra leading cells go back to the label,
    and when exactly one cell is missing, garbage just before the run becomes that cell
    (unreadable to `parse_value`, but in its column).
    """
    line = re.sub(r"%(?=\w)", "% ", nfc(text))
    items = _word_groups(_scan(line))
    k = _trailing_run(line, items)
    run = [it for it in items[k:] if it.kind != "sep"]
    label_end = items[k].start if k < len(items) else len(line)
    if expected is not None and len(run) > expected:
        keep = max(expected, 0)  # none expected: every cell goes back to the label
        label_end = run[len(run) - keep].start if keep else len(line)
        run = run[len(run) - keep:] if keep else []
    values = [line[it.start:it.end].strip() for it in run]
    if expected is not None and len(run) == expected - 1 and k > 0:
        label_items = [it for it in items[:k] if it.end <= label_end]
        start = _recover_cell(line, label_items) if label_items else None
        if start is not None:
            cell = line[start:label_end].strip(" |[]")
            if cell:
                values.insert(0, cell)
                label_end = start
    label = line[:label_end].rstrip(" |[")
    return label, values
