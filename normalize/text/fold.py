"""Three views of Vietnamese text: for output (`nfc`), for matching clean text (`fold`)
and for matching OCR output (`fold_ocr`).

`nfc` keeps every diacritic. `fold` and `fold_ocr` make keys, never output: they drop
diacritics and punctuation. `fold(text, misreads=True)`, for names, also reads the
symbols and digits OCR puts for letters. `fold_ocr` also undoes the OCR confusions seen
in the seed pair (deck_2023_text_layer.txt / deck_2023_ocr_scan.txt). Each rule rests
on a fact of Vietnamese spelling, so clean Vietnamese folds exactly as with `fold`;
foreign words may not ("Zalo" → "zaio"), so compare `fold_ocr` keys only with
`fold_ocr` keys. Both read a digit as a letter with the same table.
"""
from __future__ import annotations

import functools
import logging
import re
import unicodedata

from unidecode import unidecode

log = logging.getLogger(__name__)

# Look-alikes of Đ/đ that legacy fonts and some PDFs produce: Icelandic eth, African D.
_D_TWINS = str.maketrans({"\u00d0": "\u0110", "\u00f0": "\u0111", "\u0189": "\u0110", "\u0256": "\u0111"})
# Invisible characters that split or glue words in text layers.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))

# Non-ASCII symbols OCR reads in place of an accented letter ("1€" = lệ, "k¥" = kỹ).
# unidecode would turn them into "EUR", "C/", "Y=", so they are replaced first.
_OCR_SYMBOLS = str.maketrans({"€": "e", "¢": "e", "©": "e", "¥": "y"})
# In a name a &, @ or $ can only be a letter ("x&" = xã, "$ơn" = Sơn); in sentences they
# may be themselves ("A & B", "$= 100\\%$"), so there `fold_ocr` reads them by context.
_SYMBOLS_IN_NAMES = _OCR_SYMBOLS | str.maketrans({"&": "a", "@": "a", "$": "s"})
# "$6" = số; a dollar sign before anything else ("$= 100\\%$" in Markdown) is left alone.
_DOLLAR_AS_S = re.compile(r"\$(?=[0-9A-Za-z])")
# Detached diacritics OCR leaves inside a word ("T‘y le,’:"): glue the word back.
_DETACHED_MARKS = re.compile(r"(?<=[^\W\d_])[‘’'`´^~\"“”]+(?=[^\W\d_])")
_AMP_IN_WORD = re.compile(r"(?<=[0-9A-Za-z\u00c0-\u1ef9])&")

_TOKEN = re.compile(r"[A-Za-z0-9]+")
_VOWELS = "aeiouy"
# Digits read in place of letters in a word: c6 = có, x4 = xã, 5O = số, g0 = gỡ.
# A 1 starting a word is an l ("1y" = lý) and an 8 a B ("8ắc" = Bắc); inside a word a 1
# is an i ("nguo1" = người) and an 8 a digit, since no Vietnamese syllable has an l or
# a b after its first letter.
_DIGIT_AS_LETTER = {"0": "o", "3": "a", "4": "a", "5": "s", "6": "o"}
_DIGIT_AS_INITIAL = _DIGIT_AS_LETTER | {"1": "l", "8": "b"}
_DIGIT_AS_INNER = _DIGIT_AS_LETTER | {"1": "i"}
# Only a digit touching a letter is read as one in a name: "Phường 3" keeps its number.
_DIGIT_BY_LETTER = re.compile(r"(?<=[a-z])[013-68]|[013-68](?=[a-z])")
# OCR'd acronyms whose Đ became P ("QP" = QĐ, "CPS" = CĐS).
_CAPS_FIXES = {"QP": "QD", "CPS": "CDS"}
# A Vietnamese syllable is at most 7 letters ("nghieng"); longer tokens are foreign
# words or OCR merges ("thanhtoan") that the per-syllable rules would damage.
_MAX_SYLLABLE = 7


def real_d(text: str) -> str:
    """The real Đ/đ (U+0110/U+0111) for their look-alikes."""
    return text.translate(_D_TWINS)


def nfc(text: str) -> str:
    """Text for output: NFC, the real Đ/đ, invisible characters gone, spaces collapsed."""
    # Normalized last: an invisible character dropped may bring a letter and its mark together.
    text = real_d(text or "").translate(_INVISIBLE)
    return unicodedata.normalize("NFC", " ".join(text.split()))


class _AsciiOf(dict):
    """Code point → its ASCII as unidecode gives it, looked up on first use and kept.
    unidecode reads a text one character at a time, each on its own, so ``translate``
    with this gives the same text, in C rather than unidecode's loop in Python (a
    sixth of the time a text PDF's pages spent in folding)."""

    def __missing__(self, code: int) -> str:
        out = unidecode(chr(code))
        if not 0xD800 <= code <= 0xDFFF:  # a lone surrogate: unidecode warns of it each time, as it did
            self[code] = out
        return out


_ASCII_OF = _AsciiOf()


def _ascii(text: str) -> str:
    text = nfc(text).replace("Đ", "D").replace("đ", "d")
    return text if text.isascii() else text.translate(_ASCII_OF)


def _digit_as_letter(digit: str, initial: bool) -> str:
    return (_DIGIT_AS_INITIAL if initial else _DIGIT_AS_INNER).get(digit, digit)


def _read_digits(ascii_text: str) -> str:
    def letter(m: re.Match) -> str:
        initial = m.start() == 0 or not ascii_text[m.start() - 1].isalnum()
        return _digit_as_letter(m.group(), initial)

    return _DIGIT_BY_LETTER.sub(letter, ascii_text)


# Words and short phrases are folded again and again (the value scanner folds every word
# of every line it reads, the matcher every label): those this long at most are kept.
# Measured on samples/deck_2023_text.pdf (and the text report alike): 99% of its 6,567
# folds are of 64 characters or fewer (the longest 142), 3,694 distinct texts among them;
# turning a 200-page deck's pages into records took 8% less CPU (1.01 s → 0.93 s).
_KEPT_FOLD_CHARS = 64


def fold(text: str, *, misreads: bool = False) -> str:
    """Key for matching clean text: no diacritics, lower case, punctuation as spaces.

    misreads: also read OCR's symbols and the digits touching a letter as the letters
    they stand for ("x& Thiéu Trung", "D6ng Hai"): for names, where a digit in a word
    is a misread; unlike `fold_ocr` it leaves the letters as they were read.
    """
    if isinstance(text, str) and len(text) <= _KEPT_FOLD_CHARS:
        return _fold_kept(text, misreads)
    return _fold(text, misreads)


@functools.lru_cache(maxsize=65536)
def _fold_kept(text: str, misreads: bool) -> str:
    return _fold(text, misreads)


def _fold(text: str, misreads: bool) -> str:
    if not misreads:
        return " ".join(_TOKEN.findall(_ascii(text).lower()))
    return " ".join(_TOKEN.findall(_read_digits(_ascii(text.translate(_SYMBOLS_IN_NAMES)).lower())))


def _is_word(token: str) -> bool:
    """Whether a mixed token is a word with misread letters rather than a number ("4G", "10h")."""
    letters = sum(c.isalpha() for c in token)
    digits = len(token) - letters
    if letters == 0:
        return False
    if token[0].isalpha():
        return True
    # A word read with a leading 1 (= l) or 5 (= s): "1y", "1ap", "5O"; not "4G" or "16h".
    return token[0] in "15" and digits == 1


def _digits_to_letters(token: str) -> str:
    return "".join(_digit_as_letter(c, i == 0) for i, c in enumerate(token))


def _fix_syllable(word: str) -> str:
    """Undo misreads that produce letters a Vietnamese syllable cannot have where they stand.

    After its initial consonant a syllable never has d, b or l, has g only in "ng", r
    never, and w never. OCR puts them there for hooked or hatted vowels: "hd" = hồ,
    "sb" = số, "dugc" = được, "chirc" = chức, "xtr" = xử, "nguwoi" = người.
    """
    if len(word) < 2 or len(word) > _MAX_SYLLABLE:
        return word
    head = 2 if word.startswith("tr") else 1

    def body(pattern: str, repl: str, w: str) -> str:
        return re.sub(pattern, lambda m: repl if m.start() >= head else m.group(), w)

    word = body(r"[iuot]?r", "u", word)
    word = body(r"u?w", "u", word)
    word = body(r"(?<!n)g", "o", word)
    word = body(r"[db]", "o", word)
    word = body(r"l", "i", word)
    # A doubled vowel never ends a syllable; OCR adds one for a tone mark ("co6" = có).
    return re.sub(r"([aeio])\1+$", r"\1", word)


# A document's words come back again and again (every row of a table names its indicator),
# and each costs five regular-expression passes (_fix_syllable): kept, they are folded once.
# Measured: the 14-page samples/deck_2023_text.pdf has 5,569 tokens, 528 of them distinct;
# turning a 200-page deck's pages into records took a third less CPU (1.52 s → 1.01 s).
@functools.lru_cache(maxsize=65536)
def _fix_token(token: str) -> str:
    letters = [c for c in token if c.isalpha()]
    if len(letters) >= 2 and all(c.isupper() for c in letters):
        token = _CAPS_FIXES.get(token, token)
        # "POI VOI" = ĐỐI VỚI, "PIEM" = ĐIỂM: no native word starts with P + vowel.
        if token[0] == "P" and len(token) > 1 and token[1].lower() in _VOWELS:
            token = "D" + token[1:]
        return token.lower()
    if token[0] == "P" and len(token) > 1 and token[1].lower() in _VOWELS:
        token = "d" + token[1:]  # "Pién Bién" = Điện Biên, "Pa" = Đã
    if token[0] == "I" and len(token) > 1 and token[1] in "ye":
        token = "l" + token[1:]  # "Ién" = lên, "Iy" = lý: no syllable starts with "iy"/"ie"
    if not _is_word(token):
        return token.lower()
    word = _digits_to_letters(token) if any(c.isdigit() for c in token) else token
    if any(c.isupper() for c in token[1:]):
        return word.lower()  # "VNeID", "CHi": acronyms and headings are not syllables
    return _fix_syllable(word.lower())


def _fix_ty_le(tokens: list[str]) -> list[str]:
    """"Tỷ lệ" opens most indicator names, and OCR reads its lệ as "18" or "16" too."""
    out = list(tokens)
    for i in range(1, len(out)):
        if out[i - 1] == "ty" and re.fullmatch(r"1\d", out[i]):
            out[i] = "le"
    return out


def fold_ocr(text: str) -> str:
    """Key for matching OCR output; clean text folds to the same key as with `fold`.

    Pure numbers ("15", "80%") keep their digits; inside words digits are letters.
    """
    text = nfc(text).translate(_OCR_SYMBOLS)
    text = _AMP_IN_WORD.sub("e", text)
    text = _DOLLAR_AS_S.sub("s", text)
    text = _DETACHED_MARKS.sub("", text)
    raw_tokens = _TOKEN.findall(_ascii(text))
    return " ".join(_fix_ty_le([_fix_token(t) for t in raw_tokens]))
