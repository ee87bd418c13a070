"""What a prose report variant says: its unit, its blocks of text, and the indicator
values it states (issue 13, item 1).

The report is written as district and commune offices write them (the seed
report_thuongxuan_2024.md): a letterhead, a title, an intro answering the province's
request (a commune's names its district's plan first), narrative paragraphs with
percentages that are not indicator values, and the indicators stated in one of the
styles drawn per statement:

    item       "- Tỷ lệ người dân có chữ ký điện tử cá nhân: 45,75%."
    multi      three group-I indicators in one sentence, each with its own "đạt …%"
    first      the value before the label: "95% cán bộ, công chức có hộp thư …"
    other      the stated value and another figure: the target it misses, last year's
               figure in brackets, next year's aim, the increase over last year
    qualified  "ước đạt 80%" (qualifier ~), "đạt trên 90%" (qualifier >=)
    fraction   "(2.381/2.500 người, đạt 95,24%)", thousands dots, the value worked out
    table      a small "TT | Chỉ tiêu | Kết quả" table inside the report

Lists are set with dashes, plus signs, Word bullets, no marker, or run together in one
paragraph (bullets a scan lost). The truth is one row per indicator stated: its unit
(commune empty for a district's report), phase "reported", value, qualifier.
"""
from __future__ import annotations

import random
from dataclasses import dataclass, field

from variants.content import Place, catalogue, places

# What a report calls each indicator when the value comes first or the clause is short:
# the reports' own words, shorter than the catalogue's names.
SUBJECTS = {
    1: "lãnh đạo, cán bộ, công chức cấp xã xử lý công việc hoàn toàn trên môi trường điện tử",
    2: "lãnh đạo, cán bộ, công chức được cấp chứng thư số",
    3: "văn bản, hồ sơ công việc được tạo lập, xử lý, ký số trên môi trường điện tử",
    4: "cán bộ, công chức có hộp thư điện tử công vụ",
    5: "hồ sơ được tiếp nhận, giải quyết trực tuyến",
    6: "người dân có điện thoại thông minh",
    7: "người dân trên 15 tuổi có tài khoản giao dịch thanh toán tại ngân hàng",
    8: "người dân được cấp tài khoản định danh điện tử",
    9: "người dân có chữ ký điện tử cá nhân",
    10: "người dân, doanh nghiệp được tuyên truyền, tập huấn kỹ năng số cơ bản",
    11: "người dân, doanh nghiệp sử dụng nền tảng số trao đổi thông tin với chính quyền",
    12: "doanh nghiệp sử dụng dịch vụ công trực tuyến được định danh và xác thực điện tử",
    13: "thuê bao điện thoại thông minh có sử dụng phần mềm an toàn thông tin mạng",
    14: "người dân sử dụng dịch vụ công trực tuyến được định danh và xác thực điện tử thông suốt",
    15: "hộ gia đình thanh toán tiền điện không dùng tiền mặt",
    16: "địa điểm quan trọng trong xã có điểm phát Wifi công cộng",
}
COUNTED = {4: "cán bộ", 6: "người", 7: "người", 8: "người", 9: "người", 12: "doanh nghiệp", 13: "thuê bao",
           14: "người", 15: "hộ"}  # what a fraction counts, for the indicators reported with one
STYLES = {"item": 0.35, "first": 0.12, "other": 0.15, "qualified": 0.12, "fraction": 0.12, "table": 0.14}
MULTI_SHARE = 0.4  # reports that state three group-I indicators in one sentence
LIST_MARKS = ("dash", "plus", "bullet", "none", "run")
# Narrative figures that are no indicator value (three from the seed report, the rest as
# reports write them); {u} is the unit's name, {y} the year.
NARRATIVE = (
    "Tuyên truyền về nội dung, kết quả triển khai mô hình “3 KHÔNG” trên các phương tiện thông tin đại chúng đạt {p}%.",
    "Tập huấn cho Tổ triển khai thực hiện tại các thôn, bản đạt {p}%.",
    "Thủ tục cấp trích lục bản sao hộ tịch đạt {p}%.",
    "Tỷ lệ hộ nghèo trên địa bàn {u} giảm còn {q}%.",
    "Sóng di động 4G đã phủ {p}% diện tích của {u}.",
    "Thu ngân sách trên địa bàn năm {y} tăng {q}% so với cùng kỳ.",
    "Tổ chức {n} hội nghị với sự tham gia của hơn {m} thành viên Tổ công nghệ số cộng đồng, đạt {p}% kế hoạch.",
)


@dataclass(frozen=True)
class Stated:
    indicator_id: int
    value: float
    qualifier: str  # "", ">=", "~"
    value_raw: str


@dataclass
class Report:
    level: str  # "district" or "commune"
    place: Place
    year: int
    blocks: list[tuple[str, object]] = field(default_factory=list)  # (kind, text | [texts] | rows)
    stated: list[Stated] = field(default_factory=list)
    axes: dict = field(default_factory=dict)
    # After the July 2025 reform a commune answers to the province: its letterhead's lines
    # and the plan its intro answers are the province's, not a district's (variants/reform.py).
    unit_lines: tuple[str, ...] = ()
    plan_issuer: str = ""

    @property
    def unit(self) -> str:
        return self.place.commune if self.level == "commune" else self.place.district


def pct(value: float, decimal: str) -> str:
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return text.replace(".", ",") if decimal == "comma" else text


def draw_value(rng: random.Random) -> float:
    digits = rng.choices((0, 1, 2), (0.5, 0.35, 0.15))[0]
    return 100.0 if rng.random() < 0.15 else round(rng.uniform(20, 99.9), digits)


def thousands(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def statement(rng: random.Random, r: Report, ind: dict, style: str) -> str:
    """One indicator stated in ``style``; records what it states in ``r.stated``."""
    i, dec, y = ind["id"], r.axes["decimal"], r.year
    name = ind["variants"][0] if ind["variants"] and rng.random() < 0.3 else ind["name"]
    if style == "fraction" and i in COUNTED:
        d = rng.randint(300, 40000)
        n = rng.randint(d // 5, d)
        v = round(100 * n / d, 2)
        shown = f"({thousands(n)}/{thousands(d)} {COUNTED[i]}, đạt {pct(v, dec)}%)"
        r.stated.append(Stated(i, v, "", f"{pct(v, dec)}%"))
        return f"{name} {shown}"
    v = draw_value(rng)
    if style == "first":
        r.stated.append(Stated(i, v, "", f"{pct(v, dec)}%"))
        lead = rng.choice(("", "Có ", "Đã có "))
        return f"{lead}{pct(v, dec)}% {SUBJECTS[i]}"
    if style == "qualified":
        word, q = rng.choice((("ước đạt", "~"), ("đạt trên", ">="), ("đạt hơn", ">=")))
        r.stated.append(Stated(i, v, q, f"{pct(v, dec)}%"))
        return f"{name} {word} {pct(v, dec)}%"
    r.stated.append(Stated(i, v, "", f"{pct(v, dec)}%"))
    if style == "other":
        return f"{name} {_with_other(rng, v, dec, y)}"
    sep = rng.choice((": ", ": ", " đạt ", ": đạt "))
    return f"{name}{sep}{pct(v, dec)}%"


def _with_other(rng: random.Random, v: float, dec: str, y: int) -> str:
    """The value, and a figure beside it that is not this year's value."""
    kind = rng.choice(("target", "last", "next", "rise"))
    if kind == "target" and v < 99:
        t = rng.choice([t for t in (80, 90, 95, 100) if t > v] or [100])
        return f"đạt {pct(v, dec)}%, chưa đạt chỉ tiêu đề ra ({t}%)"
    if kind == "last":
        p = round(v * rng.uniform(0.4, 0.95), 1)
        return f"đạt {pct(v, dec)}% (năm {y - 1}: {pct(p, dec)}%)"
    if kind == "next":
        return f"đạt {pct(v, dec)}%, phấn đấu năm {y + 1} đạt {rng.choice((90, 95, 100))}%"
    return f"đạt {pct(v, dec)}%, tăng {pct(round(rng.uniform(2, 30), 1), dec)}% so với năm {y - 1}"


def multi_sentence(rng: random.Random, r: Report, ids: list[int]) -> str:
    """Three group-I indicators in one sentence, each with its own "đạt …%"."""
    parts = []
    for k, i in enumerate(ids):
        v = draw_value(rng)
        r.stated.append(Stated(i, v, "", f"{pct(v, r.axes['decimal'])}%"))
        lead = "Tỷ lệ " if k == 0 else rng.choice(("tỷ lệ ", ""))
        parts.append(f"{lead}{SUBJECTS[i]} đạt {pct(v, r.axes['decimal'])}%")
    return ", ".join(parts[:-1]) + " và " + parts[-1] + "."


def narrative(rng: random.Random, r: Report) -> str:
    unit = r.unit.split(" ", 1)[-1] if r.level == "commune" else r.place.district_short
    picks = rng.sample(NARRATIVE, rng.randint(1, 3))
    return " ".join(s.format(p=rng.choice((85, 90, 95, 100)), q=pct(round(rng.uniform(2, 15), 1), "comma"),
                             u=unit, y=r.year, n=rng.randint(2, 16), m=rng.randint(50, 900)) for s in picks)


def draw_unit(rng: random.Random) -> tuple[str, Place]:
    pool = places()
    code = rng.choice(sorted(pool))
    return rng.choice(("district", "commune", "commune")), rng.choice(pool[code])


def report_content(rng: random.Random) -> Report:
    level, place = draw_unit(rng)
    return fill_report(rng, Report(level, place, rng.choice((2023, 2024))))


def fill_report(rng: random.Random, r: Report) -> Report:
    """The report's axes, blocks and stated values, drawn for its unit and year."""
    r.axes = {"decimal": rng.choice(("comma", "comma", "point")), "list_mark": rng.choice(LIST_MARKS),
              "letterhead": rng.choice(("table", "lines")), "multi": rng.random() < MULTI_SHARE}
    chosen = sorted(rng.sample(catalogue(), rng.randint(5, 16)), key=lambda i: i["id"])
    group_a = [i for i in chosen if i["group"] == "A"]
    multi = [i["id"] for i in group_a[:3]] if r.axes["multi"] and len(group_a) >= 3 else []
    r.blocks.append(("heading", "I. KẾT QUẢ THỰC HIỆN"))
    r.blocks.append(("para", narrative(rng, r)))
    r.blocks.append(("heading", "2. Kết quả thực hiện các chỉ tiêu"))
    styles = list(STYLES)
    table_rows = []
    for group, title in (("A", "* Đối với Chính quyền số"), ("B", "* Đối với Người dân, doanh nghiệp")):
        items = []
        if group == "A" and multi:
            r.blocks.append(("para", multi_sentence(rng, r, multi)))
        for ind in (i for i in chosen if i["group"] == group and i["id"] not in multi):
            style = rng.choices(styles, tuple(STYLES.values()))[0]
            if style == "table":
                v = draw_value(rng)
                r.stated.append(Stated(ind["id"], v, "", f"{pct(v, r.axes['decimal'])}%"))
                table_rows.append([str(len(table_rows) + 1), ind["name"], f"{pct(v, r.axes['decimal'])}%"])
            else:
                items.append(statement(rng, r, ind, style))
        if items:
            r.blocks.append(("heading", title))
            r.blocks.append(("list", items))
    if table_rows:
        r.blocks.append(("para", "Một số chỉ tiêu khác đạt được như sau:"))
        r.blocks.append(("table", [["TT", "Chỉ tiêu", f"Kết quả năm {r.year}"], *table_rows]))
    r.blocks.append(("heading", "II. ĐÁNH GIÁ CHUNG"))
    r.blocks.append(("para", narrative(rng, r)))
    r.axes |= {"n_indicators": len(r.stated), "level": r.level, "unit": r.unit, "district": r.place.district}
    return r


def truth_rows(r: Report) -> list[dict]:
    return [{"district": r.place.district, "commune": r.place.commune if r.level == "commune" else "",
             "indicator_id": s.indicator_id, "phase": "reported", "value": f"{s.value:g}", "status": "ok",
             "value_raw": s.value_raw, "qualifier": s.qualifier} for s in r.stated]
