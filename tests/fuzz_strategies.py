"""Hypothesis strategies for the property tests: any text, and text that looks like what
the readers meet (Vietnamese words, numbers, percentages, separators, legacy bytes), so
that the deeper branches of the parsers are reached, not only their first guard."""
from __future__ import annotations

from hypothesis import strategies as st

# Pieces of real reports: status and qualifier words, types of unit, OCR confusables.
WORDS = [
    "Chưa", "Chưa có", "Chưa thực hiện", "Lãnh đạo", "Không", "trở lên", "tro len", "tr¢ Ién", "đạt", "trên",
    "Tỷ lệ", "người dân", "xã", "Xã", "huyện", "Huyện", "phường", "P.", "TP", "Thành phố", "thị xã", "thị trấn",
    "Quảng Xương", "Quing Luu", "Thiệu Hóa", "(xã Thiệu Chung)", "Thanh Hóa", "UBND", "Theo", "QĐ", "1829/QĐ-UBND",
    "Chỉ tiêu", "CT4", "Trước thí điểm", "Sau thí điểm", "năm 2024", "=", "/", "%", "|", "[", "]", "-", "—", "…",
    "6750%", "99,5%", "100%", "80% trở lên", "≥", ">=", "72599/33216", "= 45,75%", "1.234.567", "0,", ",5", "15y",
]
_LETTERS = list("aăâbcdđeêghiklmnoôơpqrstuưvxyAĂÂĐEÊIOÔƠUƯY") + ["ệ", "ố", "ử", "ằ", "ạ", "Ð", "ð", "€", "¢"]
_MARKS = list(" ,.;:%/()|[]-=+*\t\n\x0c\xad") + ["\u0300", "\u0301", "\u0303", "\u0309", "\u0323", "\u00a0", "\u200b"]
# Bytes of the legacy encodings as they come out of a PDF's text layer (TCVN3, VNI).
_LEGACY = list("¸µ¶·¹¨¾»¼½Æ©ÊÇÈÉËªÕÐÒÓÔÖ®¬ãßáâäå¤¥¦§øùúûõöïðñòó") + list("ùøûõïâáàåãäêéèúüëöôóòñ")

vietnamese_chars = st.text(alphabet=st.sampled_from(_LETTERS + _MARKS + list("0123456789")), max_size=80)
report_like = st.lists(st.one_of(st.sampled_from(WORDS), st.text(alphabet=st.sampled_from(_LETTERS), max_size=8),
                                 st.integers(0, 100000).map(str), st.decimals(0, 200, places=2).map(lambda d: f"{d}%")),
                       max_size=14).map(" ".join)
legacy_text = st.text(alphabet=st.sampled_from(_LEGACY + _LETTERS + _MARKS), max_size=80)

# A locality or label hundreds of characters long (a table row run together, a hostile file).
long_text = st.text(alphabet=st.sampled_from(_LETTERS + list(" ()%,0123456789")), min_size=200, max_size=400)

# What the tests throw at every pure function: any Unicode (controls, combining marks on
# nothing, other scripts), then text shaped like the inputs.
any_text = st.one_of(st.text(max_size=120), vietnamese_chars, report_like, legacy_text, long_text)
