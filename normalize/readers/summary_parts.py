"""The parts of a summary table (its columns, rows and cells, ``SummaryTable``) and what
its header cells say (a phase, the label or number column, a value): shared by the
readers of grids (``normalize.readers.summary``), of text dumps and of templates."""
from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz.distance import Levenshtein

from extract.model import BBox, Cell, Table

from normalize.places.locality import parse_locality
from normalize.places.wrapped import unwrap
from normalize.text.fold import fold_ocr
from normalize.text.values import parse_value


PROVINCE = "Thanh Hóa"
# Below these, a human should look (scores are 0-100).
MIN_MATCH_SCORE = 70.0
# A row label under this score that beats the runner-up by less than the margin names no
# indicator clearly: a fragment ("Tỷ lệ người dân/doanh", a label the page break cut, 70 for
# indicator 9 against 69 for 6) is flagged. Whole labels score 95-100 with margins of 7 or
# more (matcher's own figures; 12 against 14 differ by 8), so this flags no clean row.
CLEAR_SCORE = 85.0
CLEAR_MARGIN = 4.0
MIN_OCR_CONF = 60.0


@dataclass(frozen=True)
class Column:
    phase: str  # target, before, after, reported
    locality_raw: str = ""
    note: str = ""  # a doubt about the column's locality, for every value under it
    # a row's label in a table of communes (one row per unit): read at record time, with the
    # document's dating, by ``summary_records`` (a total row, a bare name that was a district)
    in_rows: bool = False


@dataclass(frozen=True)
class RawCell:
    text: str
    page: int | None
    conf: float | None = None
    bbox: BBox | None = None  # where the value stands on its page (``Record.bbox``)


@dataclass(frozen=True)
class RawRow:
    number: int | None
    label: str  # the label as read, for `label_raw`
    match_text: str  # what the matcher sees: the label, maybe with neighbouring lines
    cells: tuple[RawCell, ...]  # one per column, in column order
    page: int | None
    note: str = ""  # a doubt about the row's indicator, for every value in it


@dataclass(frozen=True)
class SummaryTable:
    columns: tuple[Column, ...]
    rows: tuple[RawRow, ...]
    source: str  # text, ocr, dump, or mixed when its pages were read differently
    page_sources: tuple[tuple[int, str], ...] = ()  # (page, source): how each page was read

    def source_of(self, page: int | None) -> str:
        """How the page a value was read on was read; the table's source when unknown."""
        return dict(self.page_sources).get(page, self.source) if page is not None else self.source


_PHASE_WORDS = (("truoc", "before"), ("sau", "after"))
# A header cell that is one word near "trước" as a fax or a small scan reads it
# ("Trtưước", "Tnước": similarity 0.71 and 0.8) is the phase; a word of the language
# as near stays itself ("thuộc", 0.8, in "các xã thuộc huyện", is never a phase; nor
# "trực", "trúc", "trục", "trượt", "tước", names and words of the gazetteer and reports).
_NEAR_TRUOC = 0.7
_NOT_PHASES = frozenset({"thuoc", "truong", "trong", "truc", "truot", "tuoc"})


def phase_of(header: str) -> str | None:
    key = fold_ocr(header)
    compact = re.sub(r"\s+", "", key)  # "S a u / t h í / điểm": a text layer spaced letter by letter
    first = key.split()[0] if key.split() else ""
    for word, phase in _PHASE_WORDS:
        if (re.search(rf"\b{word}\b", key) or (key.startswith(word[:4]) and first not in _NOT_PHASES)
                or compact in (word, f"{word}thidiem")):
            return phase  # "Trường Giang" begins as "truo…" does, and is no phase
    word = compact.removesuffix("thidiem")
    if 4 <= len(word) <= 8 and word.startswith("t") and word not in _NOT_PHASES and len(key.split()) <= 3:
        from rapidfuzz.distance import Levenshtein

        if Levenshtein.normalized_similarity(word, "truoc") >= _NEAR_TRUOC:
            return "before"
    return None


def paired_phase(header: list[list[tuple[int, str]]], k: int) -> str | None:
    """The phase of column ``k`` whose own header names none, told by its pair: a column
    beside an "after" column, under one merged cell with it (or headed by what is left of
    "Trước thí điểm": "thí / điểm", "điểm"), is its "before"; a column after a "before" one, under
    one merged cell with it, its "after". A 150 dpi scan loses a header's first line or
    letter ("thí / điểm", "rước": v0002 and v0004 of make_variants --n 40 --seed 61, whose
    every other pair read "Trước | Sau"), and the table of pairs then read nothing.
    A header that says something else (a target, an indicator, a place) stays itself."""
    def phase(j: int) -> str | None:
        return next((p for _, t in header[j] if (p := phase_of(t))), None) if 0 <= j < len(header) else None

    def own(j: int) -> str:  # the column's own header cell nearest its values: where its phase stands
        return next((t for span, t in reversed(header[j]) if span == 1 and t.strip()), "")

    def shared(a: int, b: int) -> bool:
        if not (0 <= a < len(header) and 0 <= b < len(header)):
            return False
        return any(span > 1 and t.strip() and (span, t) in header[b] for span, t in header[a])

    if phase(k) is not None or is_target_header(own(k)) or is_label_header(own(k)) or is_number_header(own(k)):
        return None
    compact = re.sub(r"\s+", "", fold_ocr(own(k)))
    if compact and not phase_remnant(own(k)) and not (len(compact) >= 3 and "truoc".endswith(compact)):
        # Only what a scan leaves of a phase header ("", "thí điểm", "rước"): a short header
        # of its own ("Mục tiêu", "Kế hoạch", "Năm 2023") says what its column is (review).
        return None
    if phase(k - 1) == "before" and shared(k - 1, k) and shared(k, k + 1):
        return None  # three columns under one cell: no pair
    if phase(k + 1) == "after" and (shared(k, k + 1) or (phase_remnant(own(k)) and phase(k - 1) != "before")):
        return "before"
    if phase(k - 1) == "before" and shared(k - 1, k) and phase(k + 1) != "after":
        return "after"
    return None


def phase_remnant(header: str) -> bool:
    """What a scan left of "Trước thí điểm" or "Sau thí điểm" when it lost the phase: "thí
    điểm", "điểm"."""
    compact = re.sub(r"\s+", "", fold_ocr(header))
    if len(compact) > len("truocthidiem"):
        return False
    # "thí đếm" ("$& thí đếm" for "Sau thí điểm", a 6-pt header of a 150 dpi fax: v0017 of
    # make_variants --n 20 --seed 161000 --kinds fax, whose pairs then broke): a letter off
    return compact.endswith("diem") or any(
        Levenshtein.distance(compact[-n:], "thidiem") <= 1 for n in (6, 7, 8) if len(compact) >= n)


def is_target_header(header: str) -> bool:
    key = fold_ocr(header)
    # "Chitiêu —": a 150 dpi scan loses the space (v0011 of make_variants --n 24 --seed 9300 --kinds lowres)
    return ("chi tieu" in key or "chitieu" in key.split()) and "noi dung" not in key


def is_label_header(header: str) -> bool:
    return "noi dung" in fold_ocr(header)


# "CT3" as a fax or a small scan reads it: "cr2", "cy2", "c?5", "cCr13", "CT1S", "C T 7";
# a "C" (or two, one of them doubled), a "T" or what it is misread as, and one or two
# digits, one of them at least a digit and the other perhaps a letter for one (1S → 15).
_CODE = re.compile(r"c{1,2}[tryf+?!]?\(?([0-9][0-9ilos]?|[ilos][0-9])\)?[.:]?")
_DIGIT_LOOKALIKE = str.maketrans("ilos", "1105")
_MARKED_Y = str.maketrans("ỶỷÝýỲỳỸỹỴỵ", "YyYyYyYyYy")


# A header naming an indicator by its number alone: "3", "CT3", "Chỉ tiêu (3):" (folded).
NUMBER_ONLY = re.compile(r"(?:chi tieu|ct|tieu chi)?\s*\(?\d{1,2}\)?\s*[.:]?")


def indicator_code(header: str) -> int | None:
    """The indicator an OCR'd code header names ("CT3", read "cr3" …), 1-16, or None."""
    # a "T" read as a marked y ("CỶ15", v0031 of make_variants --n 40 --seed 52000 --kinds
    # scan,lowres) is the "y" it is read as elsewhere; no other mark is dropped ("Có 1" is no code)
    bare = header.translate(_MARKED_Y)
    m = _CODE.fullmatch(re.sub(r"\s+", "", bare).casefold())
    if not m:
        return None
    n = int(m.group(1).translate(_DIGIT_LOOKALIKE))
    return n if 1 <= n <= 16 else None


def is_number_header(header: str) -> bool:
    return re.sub(r"\s+", "", fold_ocr(header)) in {"tt", "stt", "sott"}  # "T\nT" in a narrow column


def is_value_like(text: str) -> bool:
    parsed = parse_value(text)
    return bool(text.strip()) and parsed.status != "unreadable"


def row_number(text: str) -> int | None:
    m = re.fullmatch(r"\s*(\d{1,2})\s*[.)]?\s*", text or "")
    return int(m.group(1)) if m else None


def numbered_unit(row) -> bool:
    """A row numbered and naming a commune ("1 | Xã Hà Bình"), whatever its values: a data row
    even when the white space let its values join the phase headers above it (a borderless
    Chromium table), never a header row whose name would join the columns' heads unsaid."""
    numbered = {c.col + c.colspan for c in row if row_number(c.text) is not None}
    units = [c for c in row if c.text.strip() and not is_value_like(c.text)
             and (loc := parse_locality(c.text)).commune_code and loc.score >= 90]
    # one unit, right of its number: a row of localities' heads names several ("TT" misread
    # "11" beside them in a scan is no row's number)
    return len(units) == 1 and units[0].col in numbered


def spilled_cell(table: Table, row_at: int, col: int, end: int) -> Cell | None:
    """A value cell of the first data row (``row_at`` = ``end``) that the grid joined to the
    header cell above it: that header cell spans down to the row and ends there, and its last line is a value under a header ("Trước / 71%"). The value alone, in the
    header cell's box; None for any other cell (a value merged over two rows is no row's)."""
    for c in table.cells:
        if c.row < row_at == end == c.row + c.rowspan - 1 and c.col <= col < c.col + c.colspan:
            lines = [t for t in c.text.splitlines() if t.strip()]
            if len(lines) >= 2 and is_value_like(lines[-1]) and not any(map(is_value_like, lines[:-1])):
                return Cell(row_at, col, 1, 1, lines[-1], c.bbox, c.conf, c.page_no)
            return None
    return None


# The heads of a table of communes' number and place columns ("TT", "Đơn vị", "Tên xã, phường"), folded.
_HEAD_WORDS = re.compile(r"^(s?tt|(ten )?(don vi|dia phuong|dia ban|xa (phuong|thi tran)( thi tran)?))$")


def head_word(text: str) -> bool:
    """Whether a cell holds the head of a table of communes' number or place column."""
    return bool(_HEAD_WORDS.match(" ".join(fold_ocr(text).split())))


def phase_row(row) -> bool:
    """A row of phase headings left under the header ("Trước" "Sau" … beside a header's lost
    "ng"): no data row, whatever its first cell holds."""
    # the heads of the number and place columns, spanning down beside them, are no data
    texts = [c.text for c in row if c.text.strip() and not head_word(c.text)]
    phases = sum(1 for t in texts if phase_of(t))
    return phases >= 2 and phases >= len(texts) - 1 and not any(map(is_value_like, texts))


def place_text(text: str) -> str:
    """A place cell's name without the row's number: a narrow "TT" column that the white
    space did not part from the names ("Xa Ngoc / 1 / Lac", "1 / Xa Xuan / 1 / Chinh" for
    row 11 in a Chromium table) lends them its digits. No unit of Thanh Hóa has a digit in
    its name, before the reform or after it (normalize/data/gazetteer_thanh_hoa*.csv). Its
    lines are then joined as one name, a word wrapped inside ("Xã Thượn" / "g Ninh") glued."""
    lines = [" ".join(w for w in line.split() if not _ROW_NUMBER_WORD.fullmatch(w)) for line in text.splitlines()]
    kept = "\n".join(line for line in lines if line)
    return unwrap(kept if kept and not is_value_like(kept) else text)  # a name wrapped inside a word, joined


# a row's number, or a speck read with a digit ("E2" in "Xã Cẩm / E2 / Tú"): no name has one
_ROW_NUMBER_WORD = re.compile(r"\d{1,3}\.?|(?=\w{0,2}\d)\w{1,3}")


# What a ruling read as text leaves in a header: a short token ('"san', "TA"), or a long one
# of strokes and quotes or of a letter repeated as no word repeats one
# ('|——————e——=—=n', '"—msszssssễễễễ=ễẳễễnan'; seed 40000's v0023, a turned Chromium scan).
_STROKES = frozenset("—–-_=~|.,:;'\"`“”‘’°*+^/\\")
_LETTER_RUN = re.compile(r"([^\W\d_])\1{3,}")


def is_scrap(text: str) -> bool:
    """A header's text that is no words and no number: one token of 5 characters or fewer, or
    tokens each a lone mark or a run of strokes and quotes or of a letter 4 times running."""
    tokens = text.split()
    if any(ch.isdigit() for ch in text):
        return False  # an indicator's number or code ("3", "CT4")
    if len(tokens) == 1 and len(tokens[0]) <= 5:  # '"san', "TA": not "Tổng", "Khác", "TTHC", a header's word
        t = tokens[0]
        return len(t) <= 2 or not t[:1].isupper() or not t.isalpha()
    return bool(tokens) and all(_noise(t) for t in tokens)


def _noise(token: str) -> bool:
    if len(token) <= 2:
        return not any(ch.isalnum() for ch in token)
    return len(token) >= 6 and (sum(ch in _STROKES for ch in token) * 2 >= len(token)
                                or bool(_LETTER_RUN.search(token)))
