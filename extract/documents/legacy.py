"""Text layers typed in the legacy Vietnamese encodings, back to Unicode NFC.

Before Unicode, Vietnamese documents were typed in 8-bit fonts whose glyphs sit at
the code points of Latin-1 characters, so a PDF's text layer says "Tû lÖ ng­êi d©n"
where the page shows "Tỷ lệ người dân". Three encodings cover nearly all of them:

- TCVN3 (ABC): fonts named ``.VnTime``, ``.VnArial`` …; the ``…H`` fonts
  (``.VnTimeH``) hold capitals at the code points of the lower-case letters, which
  is how toned capitals were typed. "ư" is byte 0xAD, the soft hyphen, which some
  extractors drop, others turn into a hyphen or a space (``repair_lost_u``).
- VNI (``VNI-Times`` …): a base letter followed by a byte for its marks ("aù" = "á").
- VISCII: one byte per letter, capitals included.

The encoding is taken from the font name of each run when it says (``font_encoding``),
else guessed from the text by how many words become Vietnamese syllables
(``guess_encoding``).
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Byte → letter, for the bytes that are not already the letter in Latin-1 (checked
# against glibc's iconv tables TCVN5712-1 and VISCII in tests/test_legacy.py).
_TCVN3_PAIRS = (
    "\x01Ú\x02Ụ\x04Ừ\x05Ử\x06Ữ\x11Ứ\x12Ự\x13Ỳ\x14Ỷ\x15Ỹ\x16Ý\x17Ỵ\x80À\x81Ả\x82Ã\x83Á\x84Ạ\x85Ặ"
    "\x86Ậ\x87È\x88Ẻ\x89Ẽ\x8aÉ\x8bẸ\x8cỆ\x8dÌ\x8eỈ\x8fĨ\x90Í\x91Ị\x92Ò\x93Ỏ\x94Õ\x95Ó\x96Ọ\x97Ộ"
    "\x98Ờ\x99Ở\x9aỠ\x9bỚ\x9cỢ\x9dÙ\x9eỦ\x9fŨ\xa1Ă\xa2Â\xa3Ê\xa4Ô\xa5Ơ\xa6Ư\xa7Đ\xa8ă\xa9â\xaaê"
    "\xabô\xacơ\xadư\xaeđ\xafẰ\xb5à\xb6ả\xb7ã\xb8á\xb9ạ\xbaẲ\xbbằ\xbcẳ\xbdẵ\xbeắ\xbfẴ\xc0Ắ\xc1Ầ"
    "\xc2Ẩ\xc3Ẫ\xc4Ấ\xc5Ề\xc6ặ\xc7ầ\xc8ẩ\xc9ẫ\xcaấ\xcbậ\xccè\xcdỂ\xceẻ\xcfẽ\xd0é\xd1ẹ\xd2ề\xd3ể"
    "\xd4ễ\xd5ế\xd6ệ\xd7ì\xd8ỉ\xd9Ễ\xdaẾ\xdbỒ\xdcĩ\xddí\xdeị\xdfò\xe0Ổ\xe1ỏ\xe2õ\xe3ó\xe4ọ\xe5ồ"
    "\xe6ổ\xe7ỗ\xe8ố\xe9ộ\xeaờ\xebở\xecỡ\xedớ\xeeợ\xefù\xf0Ỗ\xf1ủ\xf2ũ\xf3ú\xf4ụ\xf5ừ\xf6ử\xf7ữ"
    "\xf8ứ\xf9ự\xfaỳ\xfbỷ\xfcỹ\xfeỵ\xffỐ"
)
_VISCII_PAIRS = (
    "\x02Ẳ\x05Ẵ\x06Ẫ\x14Ỷ\x19Ỹ\x1eỴ\x80Ạ\x81Ắ\x82Ằ\x83Ặ\x84Ấ\x85Ầ\x86Ẩ\x87Ậ\x88Ẽ\x89Ẹ\x8aẾ\x8bỀ"
    "\x8cỂ\x8dỄ\x8eỆ\x8fỐ\x90Ồ\x91Ổ\x92Ỗ\x93Ộ\x94Ợ\x95Ớ\x96Ờ\x97Ở\x98Ị\x99Ỏ\x9aỌ\x9bỈ\x9cỦ\x9dŨ"
    "\x9eỤ\x9fỲ\xa0Õ\xa1ắ\xa2ằ\xa3ặ\xa4ấ\xa5ầ\xa6ẩ\xa7ậ\xa8ẽ\xa9ẹ\xaaế\xabề\xacể\xadễ\xaeệ\xafố"
    "\xb0ồ\xb1ổ\xb2ỗ\xb3Ỡ\xb4Ơ\xb5ộ\xb6ờ\xb7ở\xb8ị\xb9Ự\xbaỨ\xbbỪ\xbcỬ\xbdơ\xbeớ\xbfƯ\xc4Ả\xc5Ă"
    "\xc6ẳ\xc7ẵ\xcbẺ\xceĨ\xcfỳ\xd0Đ\xd1ứ\xd5ạ\xd6ỷ\xd7ừ\xd8ử\xdbỹ\xdcỵ\xdeỡ\xdfư\xe4ả\xe5ă\xe6ữ"
    "\xe7ẫ\xebẻ\xeeĩ\xefỉ\xf0đ\xf1ự\xf6ỏ\xf7ọ\xf8ụ\xfbũ\xfcủ\xfeợ\xffỮ"
)
TCVN3 = {_TCVN3_PAIRS[i]: _TCVN3_PAIRS[i + 1] for i in range(0, len(_TCVN3_PAIRS), 2)}
VISCII = {_VISCII_PAIRS[i]: _VISCII_PAIRS[i + 1] for i in range(0, len(_VISCII_PAIRS), 2)}

# VNI: the byte after a base letter adds its marks, as combining characters.
_GRAVE, _ACUTE, _HOOK, _TILDE, _DOT = "\u0300", "\u0301", "\u0309", "\u0303", "\u0323"
_CIRC, _BREVE = "\u0302", "\u0306"
_VNI_MARKS = {
    "ù": _ACUTE, "ø": _GRAVE, "û": _HOOK, "õ": _TILDE, "ï": _DOT,
    "â": _CIRC, "á": _CIRC + _ACUTE, "à": _CIRC + _GRAVE, "å": _CIRC + _HOOK, "ã": _CIRC + _TILDE, "ä": _CIRC + _DOT,
    "ê": _BREVE, "é": _BREVE + _ACUTE, "è": _BREVE + _GRAVE, "ú": _BREVE + _HOOK, "ü": _BREVE + _TILDE,
    "ë": _BREVE + _DOT,
}
# Letters VNI types as one byte of their own.
_VNI_SINGLE = {
    "ô": "ơ", "ö": "ư", "ñ": "đ", "í": "í", "ì": "ì", "æ": "ỉ", "ó": "ĩ", "ò": "ị", "î": "ỵ",
    "Ô": "Ơ", "Ö": "Ư", "Ñ": "Đ", "Í": "Í", "Ì": "Ì", "Æ": "Ỉ", "Ó": "Ĩ", "Ò": "Ị", "Î": "Ỵ",
}
_VNI_BASES = set("aeouyAEOUY") | {"ơ", "ư", "Ơ", "Ư"}
# Only a circumflex goes on e and o, only a breve on a; ơ and ư take tones only.
_VNI_ALLOWED = {
    "a": set(_VNI_MARKS), "e": {"ù", "ø", "û", "õ", "ï", "â", "á", "à", "å", "ã", "ä"},
    "o": {"ù", "ø", "û", "õ", "ï", "â", "á", "à", "å", "ã", "ä"}, "u": {"ù", "ø", "û", "õ", "ï"},
    "y": {"ù", "ø", "û", "õ"}, "ơ": {"ù", "ø", "û", "õ", "ï"}, "ư": {"ù", "ø", "û", "õ", "ï"},
}

ENCODINGS = ("tcvn3", "vni", "viscii")


def font_encoding(fontname: str | None) -> tuple[str | None, bool]:
    """(encoding, capitals) a font's name says its text is in: (None, False) for Unicode fonts.

    Subset prefixes ("ABCDEF+") and style suffixes (",Bold", "-Italic") are ignored;
    TCVN3 fonts ending in H (".VnTimeH", ".VnArialH") hold capitals only.
    """
    name = (fontname or "").split("+", 1)[-1]
    base = re.split(r"[,\-](?:bold|italic|oblique|regular|bolditalic)\b", name, flags=re.IGNORECASE)[0]
    low = base.lower()
    if low.startswith("vni"):
        return "vni", False
    if low.startswith((".vn", "vn")):
        return "tcvn3", base.endswith("H")
    if "viscii" in low or low.startswith("vi-"):
        return "viscii", False
    return None, False


def decode(text: str, encoding: str | None, *, capitals: bool = False) -> str:
    """``text`` as read from a layer in ``encoding`` (None: already Unicode), in NFC."""
    if encoding == "tcvn3":
        out = "".join(TCVN3.get(ch, ch) for ch in text)
    elif encoding == "viscii":
        out = "".join(VISCII.get(ch, ch) for ch in text)
    elif encoding == "vni":
        out = _decode_vni(text)
    else:
        out = text
    if capitals:
        out = out.upper()
    return unicodedata.normalize("NFC", out)


def _decode_vni(text: str) -> str:
    out: list[str] = []
    for ch in text:
        prev = out[-1] if out else ""
        base = prev[:1].lower()
        if ch in _VNI_MARKS and prev and len(prev) == 1 and base in _VNI_ALLOWED and ch in _VNI_ALLOWED[base]:
            out[-1] = prev + _VNI_MARKS[ch]
        elif ch.lower() in _VNI_MARKS and prev and len(prev) == 1 and prev.isupper() and base in _VNI_ALLOWED \
                and ch.lower() in _VNI_ALLOWED[base]:
            out[-1] = prev + _VNI_MARKS[ch.lower()]  # capitals take the capital form of the mark byte
        elif ch in _VNI_SINGLE:
            out.append(_VNI_SINGLE[ch])
        else:
            out.append(ch)
    return "".join(out)


# ---------------------------------------------------------------- syllables

_ONSETS = ("ngh", "ng", "nh", "ch", "gh", "gi", "kh", "ph", "qu", "th", "tr", "b", "c", "d", "đ", "g", "h", "k",
           "l", "m", "n", "p", "r", "s", "t", "v", "x", "")
_CODAS = ("ng", "nh", "ch", "c", "m", "n", "p", "t", "i", "y", "o", "u", "")
_NUCLEI = {
    "a", "ă", "â", "e", "ê", "i", "o", "ô", "ơ", "u", "ư", "y", "ia", "iê", "ya", "yê", "ua", "uô", "ưa", "ươ",
    "oa", "oă", "oe", "uâ", "uê", "uy", "uya", "uyê", "ươ", "oo", "uơ",
}
_SYLLABLE = re.compile(
    "^(?:%s)(?:%s)(?:%s)$" % ("|".join(_ONSETS), "|".join(sorted(_NUCLEI, key=len, reverse=True)), "|".join(_CODAS))
)


def _strip_tone(word: str) -> str | None:
    """The word lower-cased without its tone mark; None when it carries two tones."""
    decomposed = unicodedata.normalize("NFD", word.lower())
    tones = sum(1 for ch in decomposed if ch in (_GRAVE, _ACUTE, _HOOK, _TILDE, _DOT))
    if tones > 1:
        return None
    kept = "".join(ch for ch in decomposed if ch not in (_GRAVE, _ACUTE, _HOOK, _TILDE, _DOT))
    return unicodedata.normalize("NFC", kept)


@lru_cache(maxsize=65536)
def is_syllable(word: str) -> bool:
    """Whether ``word`` (letters only) can be one written Vietnamese syllable."""
    bare = _strip_tone(word)
    return bool(bare) and _SYLLABLE.match(bare) is not None


_WORD = re.compile(r"[^\W\d_]+")


def syllable_share(text: str) -> tuple[int, int]:
    """(Vietnamese syllables, letter runs) among the words of ``text``."""
    runs = _WORD.findall(unicodedata.normalize("NFC", text))
    return sum(1 for r in runs if is_syllable(r)), len(runs)


def guess_encoding(text: str) -> str | None:
    """The legacy encoding ``text`` is most likely in, or None when it reads best as it is."""
    if not any(ord(ch) > 0x7F for ch in text):
        return None  # plain ASCII is the same in every encoding
    good, total = syllable_share(text)
    best, best_good = None, good
    for encoding in ENCODINGS:
        g, _ = syllable_share(repair_lost_u(decode(text, encoding)) if encoding == "tcvn3" else decode(text, encoding))
        if g > best_good + max(1, 0.1 * total):
            best, best_good = encoding, g
    return best


def is_garbage(text: str, *, min_share: float = 0.5) -> bool:
    """True when too few of the text's words are Vietnamese syllables or plain ASCII words.

    Mojibake of no known encoding and the invisible layer of a bad OCR fail this; a
    page of real Vietnamese (or English, numbers, codes) passes.
    """
    runs = _WORD.findall(unicodedata.normalize("NFC", text))
    if len(runs) < 5:
        return False
    ok = sum(1 for r in runs if is_syllable(r) or (r.isascii() and len(r) > 1) or r.isupper())
    return ok < min_share * len(runs)


# ---------------------------------------------------------------- the 0xAD trap

_LOST_U_MARKS = ("\xad", "-")


def repair_lost_u(text: str) -> str:
    """Put back "ư" where a TCVN3 layer's byte 0xAD came out as a hyphen inside a word.

    Applied to decoded TCVN3 text: "ng-ời" → "người" when the hyphenated parts are
    not both syllables and the joined word is one. A real hyphen between two
    syllables ("Hà-Nội") is left alone.
    """
    def fix(m: re.Match) -> str:
        left, right = m.group(1), m.group(3)
        joined = left + "ư" + right
        if is_syllable(joined) and not (left and right and is_syllable(left) and is_syllable(right)):
            return joined
        return m.group(0)

    text = text.replace("\xad", "ư")
    return re.sub(r"([^\W\d_]*)(-)([^\W\d_]*)", lambda m: fix(m) if (m.group(1) or m.group(3)) else m.group(0), text)


def join_lost_u(left: str, right: str) -> str | None:
    """The word "left" + "ư" + "right" when a TCVN3 0xAD read as a space split it, else None."""
    joined = unicodedata.normalize("NFC", left + "ư" + right)
    if not is_syllable(joined):
        return None
    if is_syllable(left) and is_syllable(right):
        return None
    return joined


# ---------------------------------------------------------------- PDF characters

_VNI_MARK_CHARS = set(_VNI_MARKS) | {m.upper() for m in _VNI_MARKS}


def decode_chars(chars: list[dict]) -> list[dict]:
    """pdfplumber characters with legacy-font runs decoded, each tagged with ``legacy``.

    Runs are consecutive characters of one font. A font whose name gives no encoding
    is Unicode unless the page's text in such fonts reads far better in a legacy
    encoding (a document whose fonts were renamed or substituted). A VNI mark byte is
    merged into the letter before it, its box included.
    """
    runs: list[tuple[str | None, bool, list[dict]]] = []
    for c in chars:
        name = c.get("fontname", "")
        if runs and runs[-1][2][-1].get("fontname", "") == name:
            runs[-1][2].append(c)
        else:
            enc, caps = font_encoding(name)
            runs.append((enc, caps, [c]))
    unknown = "".join(c.get("text", "") for enc, _, run in runs if enc is None for c in run)
    fallback = guess_encoding(unknown) if unknown else None
    out: list[dict] = []
    for enc, caps, run in runs:
        enc = enc or fallback
        if enc is None:
            out.extend(dict(c, legacy="") for c in run)
            continue
        start = len(out)
        raw_prev = ""
        for c in run:
            text = c.get("text", "")
            if enc == "vni" and text in _VNI_MARK_CHARS and len(out) > start and raw_prev:
                merged = decode(raw_prev + text, enc, capitals=caps)
                if len(merged) == 1:
                    prev = out[-1]
                    out[-1] = dict(prev, text=merged, x1=max(prev["x1"], c["x1"]))
                    out[-1]["width"] = out[-1]["x1"] - out[-1]["x0"]
                    raw_prev += text
                    continue
            out.append(dict(c, text=decode(text, enc, capitals=caps), legacy=enc))
            raw_prev = text
    return out


def join_split_words(words: list[dict]) -> list[dict]:
    """Words of TCVN3 runs with a lost "ư" put back: "ng-ời" and "ng" + "ời" become "người"."""
    out: list[dict] = []
    for w in words:
        if w.get("legacy") == "tcvn3":
            w = dict(w, text=repair_lost_u(w["text"]))
            prev = out[-1] if out else None
            height = max(w["bottom"] - w["top"], 1.0)
            if (prev is not None and prev.get("legacy") == "tcvn3" and abs(prev["top"] - w["top"]) < 0.3 * height
                    and 0 <= w["x0"] - prev["x1"] < 0.6 * height):
                joined = join_lost_u(prev["text"], w["text"])
                if joined is not None:
                    out[-1] = dict(prev, text=joined, x1=w["x1"], bottom=max(prev["bottom"], w["bottom"]))
                    continue
        out.append(w)
    return out
