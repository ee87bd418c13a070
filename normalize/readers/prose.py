"""Figures stated in prose: "indicator text: value" items, and the narrative rest.

Reports list the indicators as bullet items ("- Tỷ lệ người dân có điện thoại thông
minh/tổng số dân …: 74%"), often with a longer wording than the catalogue's and
sometimes with the fraction behind the value ("= 72599/33216 = 45,75%"). Around them
the narrative quotes other percentages ("tỷ lệ … liên thông dữ liệu … đạt trên 90%").

Lines become statements (`lines_to_statements`), statements become figures
(`statement_to_figures`: each value with the label of its own clause), and a figure is
an indicator value only when it has the shape of an item (a value closing its clause's
label, or opening a clause that names what it counts: "95% cán bộ …") and its label
names one indicator clearly: a high score and a margin over the runner-up (`classify`).
Anything else is a narrative figure, never forced onto an indicator.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Iterable

from extract.layout.notional import span_box
from extract.model import BBox, Line
from normalize.indicators.catalogue import Catalogue, load_catalogue
from normalize.text.fold import fold, nfc
from normalize.text.formulas import FORMULA, FormulaCheck, clean_formula_text, find_count, find_formula
from normalize.indicators.matcher import label_scores, sentence_similarity
from normalize.readers.boxes import align, union
from normalize.text.values import ParsedValue, parse_value, split_label_and_values

# A label must score this much against its indicator (0-100), and this much more than
# against any other. Real items score 95-100 with margins of 7 or more; narrative
# sentences that mention an indicator's words ("thanh toán không dùng tiền mặt đạt hơn")
# stay under 75.
MIN_LABEL_SCORE = 82.0
MIN_MARGIN = 4.0
# Labels shorter than this (folded words) say too little to name an indicator.
MIN_LABEL_WORDS = 4
MAX_SENTENCE_FIGURES = 4

_BULLET = re.compile(r"^\s*(?:[-+•·–—*▪◦]|\\\*)\s+")
_NUMBERED = re.compile(r"^\s*(?:\(?\d{1,2}(?:\.\d{1,2})*[.)]|\(?[IVX]{1,4}[.)]|[a-đ][.)])\s+")
_MD_HEADING = re.compile(r"^\s*#{1,6}\s*")
_TERMINAL = (".", ";", ":", "!", "?", "…")
_PERCENT = re.compile(r"(?P<num>\d+(?:[.,]\d+)*)\s*%")
# What may stand between an item's label and its value ("…: đạt trên 90%").
_LINK_WORDS = {"dat", "la", "tren", "hon", "khoang", "gan", "duoc", "muc", "uoc", "chi"}
# Words that may stand before a value that comes first ("Có 94% lãnh đạo, …"): no label.
_VALUE_FIRST_LEADS = {"co", "da co", "co tren", "co hon", "voi"}
_LEAD_WORDS = re.compile(r"(?:\s|^)((?:(?:ước|uoc|đạt|trên|hơn|dat|tren|hon)\s+)+)$", re.IGNORECASE)
# After an item's value, its clause ends ("…: 85%, chưa đạt …", "85% (năm 2023: …)", "85%.");
# words going straight on ("tăng 5% so với năm 2023") make it narrative, as does a label that
# ends in a change ("… tăng 5%"); a label naming a year, among several figures, is doubtful.
_GOES_ON = re.compile(r"\s*(?!(?:và|hoặc|còn|với)\s)[^\W\d_]", re.IGNORECASE)  # "… 40,8% và tỷ lệ …" is a new clause
_CHANGE_WORDS = {"tang", "giam"}
_YEAR_NAMED = re.compile(r"\bn[aă]m\s+20\d\d\b", re.IGNORECASE)
# letters a scan reads for the digits opening a percentage ("S5%", "So,6%"), at a word's start
_LETTERS_BEFORE = re.compile(r"(?<![^\W\d_])[SOolIB]{1,2}[.,]?$")
_LETTERED = re.compile(r"[SOolIB]{1,2}[\d.,]*\d[\d.,]*\s*%$")
# A sentence ends at ". " before an upper-case or accented letter or a digit, or at ";" (items
# run together when a scan lost the bullets); "năm 2022. Có 83% …" ends one too, and "2.381"
# has no space after its dot
_SENTENCE_BREAK = re.compile(r"(?<=\S)[.!?]\s+(?=[A-ZÀ-Ỹ\d(\-+•])|;\s*")
# The count a value was worked out from, left on its label: "… (2.381/2.500 người"
_COUNT_TAIL = re.compile(r"\s*\(?\s*\d[\d.,]*\s*/\s*\d[\d.,]*[^()]*$")
# "9 5%": a lone number right before a percentage; the OCR splits "95%" that way.
_SPLIT_NUMBER = re.compile(r"(?:^|[\s:])(\d{1,2}|\d{1,3}[.,])\s+$")  # "9 5%", "96, 7%" (of 96,7%)
_ENDS_WITH_VALUE = re.compile(r"\d\s*%(?:\s*(?:trở\s*lên|tro\s*len))?$", re.IGNORECASE)
_QUALIFIER_AFTER = re.compile(r"^\s*(?:trở\s*lên|tro\s*len)", re.IGNORECASE)


@dataclass(frozen=True)
class Statement:
    """One bullet item or paragraph, its wrapped lines joined."""

    text: str
    pages: tuple[int | None, ...]  # page of each character span start, see `page_at`
    starts: tuple[int, ...]  # offsets in `text` where each joined line starts
    conf: float | None
    confs: tuple[float | None, ...] = ()  # each joined line's OCR confidence, see `conf_at`
    lines: tuple[Line, ...] = ()  # the lines joined, as read: their text and box, see `box_at`
    exact: bool = False  # the lines' boxes are a notional page's: a character's place is known

    def page_at(self, offset: int) -> int | None:
        page = self.pages[0] if self.pages else None
        for start, p in zip(self.starts, self.pages):
            if start <= offset:
                page = p
        return page

    def conf_at(self, offset: int) -> float | None:
        """The confidence of the line ``offset`` is in: a value misread on one line of a
        paragraph (run-together items) flags that value, not the paragraph's others."""
        if not self.confs:
            return self.conf
        conf = self.confs[0]
        for start, c in zip(self.starts, self.confs):
            if start <= offset:
                conf = c
        return conf

    def box_at(self, start: int, end: int) -> BBox | None:
        """Where the text from ``start`` to ``end`` stands on the page of ``start``: the
        union of the boxes of its lines, or on a notional page the box of its characters,
        found again in each line as written (before ``clean_line``)."""
        page = self.page_at(start)
        boxes = []
        for k, (line, s) in enumerate(zip(self.lines, self.starts)):
            e = self.starts[k + 1] - 1 if k + 1 < len(self.starts) else len(self.text)
            a, b = max(start, s), min(end, e)
            if a >= b or line.bbox is None or line.page_no != page:
                continue
            where = align(self.text[s:e], line.text) if self.exact else None
            boxes.append(span_box(line.bbox, where[a - s], where[b - 1 - s] + 1) if where else line.bbox)
        return union(boxes)


@dataclass(frozen=True)
class Figure:
    """A percentage read in a statement, with what precedes it as its label."""

    label: str
    value_raw: str  # as written, formula included ("= 72599/33216 = 45,75%")
    parsed: ParsedValue
    formula: FormulaCheck | None
    sentence: str
    page: int | None
    conf: float | None
    is_item: bool  # the value closes its clause's label (or opens one that names what it counts)
    bbox: BBox | None = None  # where the value stands on its page


@dataclass(frozen=True)
class Verdict:
    indicator_id: int | None  # None: a narrative figure
    score: float
    runner_up_id: int | None
    runner_up_score: float
    reason: str  # why it is not an indicator value, when it is not


def clean_line(text: str) -> str:
    """Markdown and LaTeX marks off ("**", "#", "$", "\\%"), NFC, single spaces."""
    text = clean_formula_text(text)
    text = _MD_HEADING.sub("", text)
    text = text.replace("**", "").replace("\\*", "*").replace("***", "")
    text = re.sub(r"(?<!\w)\*(?=\S)|(?<=\S)\*(?!\w)", "", text)  # *emphasis*
    return " ".join(text.split())


def _starts_new(text: str, prev: str, after_blank: bool) -> bool:
    first = text[:1]
    end = prev.rstrip()
    if first in "=%" or (first.isdigit() and end.endswith((":", "=", "/"))):
        return False  # the value of the line above: "… cơ bản." / "= 23252/23252 = 100%"
    if _BULLET.match(text) or _NUMBERED.match(text):
        return True
    if (end.endswith(_TERMINAL) or _ENDS_WITH_VALUE.search(end)) and not first.islower():
        return True  # OCR drops the full stop after "…: 100%" more often than the bullet
    if first.islower() or first in "(/,":
        return False  # a wrapped line carries on, even across a blank line or a page
    return after_blank


def lines_to_statements(lines: Iterable[Line], *, exact: bool = False) -> list[Statement]:
    """``exact``: the lines are a notional page's (``extract.layout.notional``), whose
    boxes place each character."""
    out: list[Statement] = []
    text, pages, starts, confs, joined = "", [], [], [], []
    after_blank = False

    def flush() -> None:
        nonlocal text, pages, starts, confs, joined
        if text.strip():
            known = [c for c in confs if c is not None]
            out.append(Statement(text, tuple(pages), tuple(starts), min(known) if known else None, tuple(confs),
                                 tuple(joined), exact))
        text, pages, starts, confs, joined = "", [], [], [], []

    for line in lines:
        cleaned = clean_line(line.text)
        if not cleaned:
            after_blank = True
            continue
        if text and _starts_new(cleaned, text, after_blank):
            flush()
        if text:
            text += " "
        starts.append(len(text))
        pages.append(line.page_no)
        confs.append(line.conf)
        joined.append(line)
        text += cleaned
        after_blank = False
    flush()
    return out


def _strip_marker(text: str) -> str:
    text = _BULLET.sub("", text)
    return _NUMBERED.sub("", text)


def _label_before(text: str) -> str:
    """The label: the statement's text before its value, without the link words and
    separators between them ("…: đạt trên" → "…")."""
    label = text.rstrip()
    while True:
        stripped = label.rstrip(" :=.,;-–")
        words = stripped.split()
        if words and fold(words[-1]) in _LINK_WORDS:
            label = " ".join(words[:-1])
            continue
        return stripped


def is_table_row(text: str) -> bool:
    """Table text run together in a dump, not prose: a label ending in three or more
    value cells ("6 Tỷ lệ … 80% trở lên 83% 85% 70% …"), or more percentages than a
    sentence holds. Its cells are read with the table."""
    if len(split_label_and_values(text)[1]) >= 3:
        return True
    starts = [0, *(m.end() for m in _SENTENCE_BREAK.finditer(text)), len(text)]
    # items run together (a scan lost their bullets) are sentences with a value each, not a row
    return any(len(_PERCENT.findall(text[a:b])) > MAX_SENTENCE_FIGURES for a, b in zip(starts, starts[1:]))


def _value_spans(text: str) -> list[tuple[int, int, str, FormulaCheck | None]]:
    """Where the statement states percentages: "= a/b = c%" formulas, "(a/b người, đạt c%)"
    counts, and the bare percentages, each once, in order."""
    spans: list[tuple[int, int, str, FormulaCheck | None]] = []
    for found in (find_formula(text), find_count(text)):
        if found and not any(a < found[0].end() and found[0].start() < b for a, b, _, _ in spans):
            m, check = found  # "(2381/2500 = 95,24%)" is a formula and a count: one value
            start = m.start() if m.re is FORMULA else m.start("pct")  # a count's value is its percentage
            spans.append((start, m.end(), text[start:m.end()], check))
    for m in _PERCENT.finditer(text):
        if any(a <= m.start() < b for a, b, _, _ in spans):
            continue
        start = m.start()
        lettered = _LETTERS_BEFORE.search(text[:start])  # "S5%": a scan read 5 as S
        if lettered:
            start = lettered.start()
        eq = re.search(r"=\s*$", text[:start])  # "= 70%": the sign belongs to the value
        if eq:
            start = eq.start()
        spans.append((start, m.end(), text[start:m.end()], None))
    return sorted(spans)


def _sentence_start(text: str, offset: int, floor: int) -> int:
    """Where the sentence holding ``offset`` begins (after ". X", "; "), not before ``floor``."""
    starts = [m.end() for m in _SENTENCE_BREAK.finditer(text, floor, offset)]
    return starts[-1] if starts else floor


def _sentence_end(text: str, offset: int) -> int:
    m = _SENTENCE_BREAK.search(text, offset)
    return m.start() if m else len(text)


def statement_to_figures(st: Statement) -> list[Figure]:
    """Each percentage of the statement with the label of its own clause: the words
    before it back to the value before it or the sentence's start ("Tỷ lệ A đạt 100%, B
    đạt 95% và C đạt 90%"), or, when nothing names anything before it, the words after it
    ("95% cán bộ, công chức có hộp thư …"). A second figure beside a value ("đạt 85%,
    chưa đạt chỉ tiêu đề ra (90%)") has a clause of its own, which names no indicator."""
    text = st.text
    if is_table_row(text):
        return []
    body_start = len(text) - len(_strip_marker(text))
    spans = _value_spans(text)
    figures = []
    prev_end = body_start
    for k, (start, end, raw, check) in enumerate(spans):
        tail = _QUALIFIER_AFTER.match(text[end:])
        value_text = raw + (text[end:end + tail.end()] if tail else "")
        value_end = end + (tail.end() if tail else 0)
        bare = raw.lstrip("= ")  # "= S5%": the sign, then the lettered value
        pct = bare[:-1].strip() if _LETTERED.match(bare) else \
            (_PERCENT.findall(raw)[-1] if _PERCENT.search(raw) else raw)
        clause = _sentence_start(text, start, max(prev_end, body_start))
        before = text[clause:start]
        parsed = _parsed(pct, before, bool(tail))
        label = re.sub(r"^(?:và|hoặc|còn)\s+", "", _label_before(before).lstrip(" ,;.–-"), flags=re.IGNORECASE)
        label = _COUNT_TAIL.sub("", label).strip()
        stop = min(spans[k + 1][0] if k + 1 < len(spans) else len(text), _sentence_end(text, value_end))
        if not label or fold(label) in _VALUE_FIRST_LEADS:  # "Có 94% lãnh đạo, cán bộ …"
            label = text[value_end:stop].strip(" .;,:()–-")
            is_item = bool(label)
        else:
            # the clause ends with its value (a comma, a bracket or the sentence's end after
            # it): "… tăng 5% so với năm 2023" goes on, and states a change, not a level
            is_item = not _GOES_ON.match(text[value_end:stop]) and fold(label.split()[-1]) not in _CHANGE_WORDS
            if is_item and len(spans) > 1 and _YEAR_NAMED.search(label):
                parsed = _noted(parsed, "the sentence gives figures of several years: is this the report's?",
                                doubtful=True)
        figures.append(Figure(label, nfc(value_text.strip()), parsed, check, text,
                              st.page_at(start), st.conf_at(start), is_item, st.box_at(start, value_end)))
        prev_end = value_end
    return figures


def _parsed(pct: str, before: str, trailed: bool) -> ParsedValue:
    """The value with the qualifier the words before it give: "trên"/"hơn" (>=), "ước" (~,
    an estimate), and a lone number right before it flagged (an OCR split of "95%")."""
    parsed = parse_value(pct + "%" + (" trở lên" if trailed else ""))
    lead = _LEAD_WORDS.search(before)
    words = [fold(w) for w in lead.group(1).split()] if lead else []
    if any(w in ("tren", "hon") for w in words):
        parsed = parse_value(" ".join(lead.group(1).split()) + " " + pct + "%")
    elif "uoc" in words and not parsed.qualifier:
        parsed = _noted(parsed, "an estimate ('ước')", qualifier="~")
    split = _SPLIT_NUMBER.search(before)
    if split and (len(pct) <= 2 or split.group(1)[-1] in ".,"):
        parsed = _noted(parsed, f"'{split.group(1)} {pct}%': a number right before the value, "
                                f"perhaps one number the OCR split ('{split.group(1)}{pct}%')", doubtful=True)
    return parsed


def _noted(parsed: ParsedValue, note: str, **changes) -> ParsedValue:
    return replace(parsed, note="; ".join(n for n in (parsed.note, note) if n), **changes)


def _denominator_cut(label: str) -> str:
    """"… thông minh/tổng số dân trong độ tuổi trưởng thành" → "… thông minh": the
    denominator a report appends is not part of the indicator's name."""
    return re.split(r"\s*/\s*(?:tổng|tong)\s+s[ốo]\b", label, maxsplit=1, flags=re.IGNORECASE)[0]


def classify(figure: Figure, *, catalogue: Catalogue | None = None) -> Verdict:
    """Which indicator an item names, or why the figure is narrative."""
    catalogue = catalogue or load_catalogue()
    best: tuple[float, float, int, int | None, float] | None = None
    for text in dict.fromkeys((figure.label, _denominator_cut(figure.label))):
        scores = label_scores(text, catalogue=catalogue, scorer=sentence_similarity)
        ranked = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))
        (top, s1), (second, s2) = ranked[0], ranked[1]
        cand = (s1, s1 - s2, top, second, s2)
        if best is None or cand[:2] > best[:2]:
            best = cand
    s1, margin, top, second, s2 = best
    if not figure.is_item:
        return Verdict(None, s1, top, s2, "narrative: not a single value closing an indicator label")
    if len(fold(figure.label).split()) < MIN_LABEL_WORDS:
        return Verdict(None, s1, top, s2, "label too short to name an indicator")
    if s1 < MIN_LABEL_SCORE:
        return Verdict(None, s1, top, s2, f"label matches no indicator well (best {top}: {s1:.0f})")
    if margin < MIN_MARGIN:
        return Verdict(None, s1, top, s2, f"label fits indicators {top} and {second} alike ({s1:.0f}/{s2:.0f})")
    return Verdict(top, s1, second, s2, "")
