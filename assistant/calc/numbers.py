"""Exact figures out of Chinese text: amounts, areas, counts, percentages, durations, dates.

Every value is a `Decimal` (a `datetime.date` for dates) with an explicit unit:

| kind     | unit                     | example                      |
|----------|--------------------------|------------------------------|
| amount   | 元                       | 3000万元 → Decimal(30000000)  |
| area     | 平方米                   | 4800㎡ → Decimal(4800)        |
| count    | 家 / 个 / 人 / 场 (名, 位 → 人) | 35家 → Decimal(35)            |
| percent  | a fraction; "%" only for display | 62% → Decimal("0.62") |
| duration | 日 / 工作日 / 月 / 年       | 5个工作日 → Decimal(5)         |
| date     | "" (value is a date)     | 2026年3月2日; 6月3日 (year of "today", `year_assumed`) |
| duration | 年, with `years` set     | 2024-2026年 → 3年, years=(2024, 2026) |

Anything that is not such a figure raises `CalcError` whose message (Chinese, then English)
names the accepted form. Nothing is ever read as a silent 0.

The figures of a free-text question are found by `assistant.calc.quantities_in_text`; values are
written out by `assistant.calc.number_format`.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal

from assistant.calc.number_format import format_value, format_years, plain
from assistant.errors import CalcError

Kind = Literal["amount", "area", "count", "percent", "duration", "date"]
KINDS: tuple[Kind, ...] = ("amount", "area", "count", "percent", "duration", "date")

# Beyond these a figure is a typo, not a park: the error says so instead of computing with it.
LIMITS: dict[str, tuple[Decimal, str]] = {
    "amount": (Decimal(10) ** 14, "100万亿元"),
    "area": (Decimal(10) ** 9, "10亿平方米"),
    "count": (Decimal(10) ** 7, "1000万"),
    "percent": (Decimal(1), "100%"),
}
DURATION_LIMITS = {"日": 36500, "工作日": 10000, "月": 1200, "年": 100}

KIND_NAMES = {
    "amount": ("金额", "amount"),
    "area": ("面积", "area"),
    "count": ("数量", "count"),
    "percent": ("百分比", "percentage"),
    "duration": ("期限", "duration"),
    "date": ("日期", "date"),
}
ACCEPTED = {
    "amount": "3000万元、1.2亿、9.9亿元、一百万、2,500万、５０００元",
    "area": "4800平方米、4800㎡、4800 平米、1.2万平方米",
    "count": "35家、12个、3人、十五家",
    "percent": "62%、60％、百分之六十",
    "duration": "45日、7天、5个工作日、3年、两年、6个月",
    "date": "2026年3月2日、2026-03-02、2026/3/2",
}

# Length-preserving, so spans found in the normalised text are spans in the original.
_WIDTH = str.maketrans(
    {
        **{chr(0xFF10 + i): str(i) for i in range(10)},
        **{chr(0xFF21 + i): chr(ord("A") + i) for i in range(26)},
        **{chr(0xFF41 + i): chr(ord("a") + i) for i in range(26)},
        "．": ".",
        "％": "%",
        "﹪": "%",
        "－": "-",
        "−": "-",
        "／": "/",
        "\u3000": " ",
        "＋": "+",
    }
)

_CN_D = "零〇一二两三四五六七八九"
_CN_NUM = rf"[{_CN_D}十][{_CN_D}十百千万亿]*(?:点[{_CN_D}]+)?"
_ARABIC = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
_NUM = rf"(?P<num>{_ARABIC}|{_CN_NUM})"
_MULT = r"(?P<mult>[十百千万亿]*)"
_FACTORS = {"十": 10, "百": 100, "千": 1000, "万": 10**4, "亿": 10**8}
_CN_DIGIT = {c: i for i, c in enumerate("零一二三四五六七八九")} | {"〇": 0, "两": 2}

_UNIT_PATTERNS = {
    "area": r"平方米|平米|平方|平(?![方米均台时安稳等衡])|㎡|m²|m2",
    "amount": r"元(?:人民币)?|人民币|块钱|块(?=[，。,；;？?！!、\s]|$)",  # "40块": colloquial 元
    "duration": r"个工作日|工作日|个自然日|自然日|个月|日|天|年|周",
    "count": r"家|个(?!工作日|自然日|月|百分点|季度|小时|星期)|人(?!民)|名(?!单|录|称|义)|位(?!于|置)|场(?!所|地|景|合|馆)",
}
_UNIT = "|".join(f"(?P<u_{k}>{p})" for k, p in _UNIT_PATTERNS.items())
_SUFFIX = r"(?P<suffix>及以上|以上|及以下|以下|以内|[(（]含[)）]|[(（]不含[)）])?"
_PREFIX = r"(?P<prefix>不低于|不少于|不超过|不高于|不多于|不足|不满|超过|高于|低于|少于|多于|达到|至少|最多|大于|小于)?"

_PCT_RE = re.compile(
    rf"(?P<sign>[-负][ \t]*)?(?:(?P<num>{_ARABIC})[ \t]*%|百分之(?P<cn>{_ARABIC}|{_CN_NUM}|百)){_SUFFIX}"
)
_DATE_RE = re.compile(
    r"(?<!\d)(?P<y>\d{4})[ \t]*(?:年[ \t]*(?P<m1>\d{1,2})[ \t]*月[ \t]*(?P<d1>\d{1,2})[ \t]*[日号]?"
    r"|(?P<sep>[-/.])(?P<m2>\d{1,2})(?P=sep)(?P<d2>\d{1,2}))(?!\d)"
)
# "6月3日": a date in the year of "today" (the figure says the year was assumed).
# "今年6月30号" is read the same way (the year of "today"); "2024年6月" is not a month-day.
_MONTH_DAY_RE = re.compile(r"(?:(?<![\d年])|(?<=今年)|(?<=本年))(?P<m>\d{1,2})[ \t]*月[ \t]*(?P<d>\d{1,2})[ \t]*[日号](?!\d)")
# "2024年-2026年", "2024到2026年", "2024至2026年度": a span of whole years, both ends counted.
_YEAR_SPAN_RE = re.compile(
    r"(?<!\d)(?P<a>(?:19|20|21)\d{2})[ \t]*年?[ \t]*(?:[-—–~～]{1,2}|至|到)[ \t]*"
    r"(?P<b>(?:19|20|21)\d{2})[ \t]*年度?(?![ \t]*\d{1,2}[ \t]*月)"
)
_SCI_RE = re.compile(r"\d\s*[eE]\s*[-+]?\s*\d")

# Boundary words → (operator, inclusive basis). 民法典第一千二百五十九条: "以上、以下、以内、届满"
# include the number; "不满、超过、以外" exclude it. 不少于/不低于/不超过 include it by their words.
CIVIL_CODE = "民法典第一千二百五十九条"
BOUNDARY_WORDS: dict[str, tuple[str, str]] = {
    "不低于": (">=", "“不低于”含本数"),
    "不少于": (">=", "“不少于”含本数"),
    "不超过": ("<=", "“不超过”含本数"),
    "不高于": ("<=", "“不高于”含本数"),
    "不多于": ("<=", "“不多于”含本数"),
    "及以上": (">=", f"“以上”含本数（{CIVIL_CODE}）"),
    "以上": (">=", f"“以上”含本数（{CIVIL_CODE}）"),
    "及以下": ("<=", f"“以下”含本数（{CIVIL_CODE}）"),
    "以下": ("<=", f"“以下”含本数（{CIVIL_CODE}）"),
    "以内": ("<=", f"“以内”含本数（{CIVIL_CODE}）"),
    "达到": (">=", "“达到”含本数"),
    "至少": (">=", "“至少”含本数"),
    "最多": ("<=", "“最多”含本数"),
    "超过": (">", f"“超过”不含本数（{CIVIL_CODE}）"),
    "不满": ("<", f"“不满”不含本数（{CIVIL_CODE}）"),
    "不足": ("<", "“不足”不含本数"),
    "高于": (">", "“高于”不含本数"),
    "多于": (">", "“多于”不含本数"),
    "大于": (">", "“大于”不含本数"),
    "低于": ("<", "“低于”不含本数"),
    "少于": ("<", "“少于”不含本数"),
    "小于": ("<", "“小于”不含本数"),
}


@dataclass(frozen=True)
class Quantity:
    """One figure. `value` is a Decimal, or a date when kind == "date"."""

    kind: Kind
    value: Decimal | dt.date
    unit: str
    text: str = ""
    span: tuple[int, int] = (0, 0)
    qualifier: str | None = None  # 以上 / 不低于 / （含）… as written next to the figure
    field: str | None = None  # the input it fills (revenue, core_area …), see tools.label_quantities
    year_assumed: bool = False  # a date written without its year ("6月3日"): the year is today's
    years: tuple[int, int] | None = None  # a span of whole years ("2024-2026年"), both ends counted
    scope: str | None = None  # the part of a park the figure is about ("分园区A"), see label_quantities
    role: str | None = None  # "bar": the yardstick asked about ("够不够60%"), not the asker's value

    @property
    def number(self) -> Decimal:
        if not isinstance(self.value, Decimal):
            raise CalcError(f"“{self.text}”是日期，不是数值（'{self.text}' is a date, not a number）")
        return self.value

    @property
    def day(self) -> dt.date:
        if not isinstance(self.value, dt.date):
            raise CalcError(f"“{self.text}”不是日期（'{self.text}' is not a date）")
        return self.value

    def display(self) -> str:
        if self.years:
            return f"{format_years(self.years)}（{plain(self.number)}年）"
        return format_value(self.kind, self.value, self.unit)

    def to_json(self) -> dict[str, Any]:
        value = self.value.isoformat() if isinstance(self.value, dt.date) else plain(self.value)
        return {
            "kind": self.kind,
            "value": value,
            "unit": self.unit,
            "display": self.display(),
            "text": self.text,
            "span": list(self.span),
            "qualifier": self.qualifier,
            "field": self.field,
            "year_assumed": self.year_assumed,
            "years": list(self.years) if self.years else None,
            "scope": self.scope,
            "role": self.role,
        }


# ---------------------------------------------------------------- parsing single values


def normalize_width(text: str) -> str:
    """Full-width digits, ％, －, ／ … to ASCII; keeps the length so spans stay valid."""
    return text.translate(_WIDTH)


def _error(kind: str, text: object, reason_zh: str, reason_en: str) -> CalcError:
    zh, en = KIND_NAMES.get(kind, ("数值", "value"))
    shown = str(text)
    return CalcError(
        f"无法识别{zh}“{shown}”：{reason_zh}。请写成 {ACCEPTED.get(kind, '')} 这样的形式。"
        f"（Cannot read {en} '{shown}': {reason_en}; write it like {ACCEPTED.get(kind, '')}.）"
    )


def _cn_to_decimal(num: str, kind: str, text: str) -> Decimal:
    from assistant.outline import small_numeral

    small = small_numeral(num)  # 两, 三, 十二: what cn2an would read, without its import
    if small is not None:
        return Decimal(small)
    import cn2an  # 0.1 s at import: only for larger numerals, decimals, 万/亿 inside

    try:
        if "点" in num:
            whole, frac = num.split("点", 1)
            int_part = int(cn2an.cn2an(whole, "normal")) if whole else 0
            digits = "".join(str(_CN_DIGIT[c]) for c in frac)
            return Decimal(f"{int_part}.{digits}")
        converted = cn2an.cn2an(num, "normal")
    except (ValueError, KeyError) as exc:
        raise _error(kind, text, "中文数字写法不规范", "malformed Chinese numeral") from exc
    return Decimal(str(converted))


def _to_decimal(num: str, mult: str, kind: str, text: str) -> Decimal:
    if num[0].isdigit():
        digits = num.replace(",", "")
        whole, _, frac = digits.partition(".")
        if len(whole) > 18 or len(frac) > 8:
            raise _error(kind, text, "数字位数过多", "too many digits")
        value = Decimal(digits)
    elif num == "百":
        value = Decimal(100)
    else:
        value = _cn_to_decimal(num, kind, text)
    for ch in mult:
        value *= _FACTORS[ch]
    return value


def _check_range(kind: str, value: Decimal, text: str, unit: str = "") -> Decimal:
    if not value.is_finite():
        raise _error(kind, text, "不是有限的数", "not a finite number")
    if value < 0:
        raise _error(kind, text, "不能为负数", "must not be negative")
    if kind in LIMITS:
        limit, shown = LIMITS[kind]
        if value > limit:
            raise _error(kind, text, f"数值过大，超出合理范围（上限{shown}）", f"absurdly large (limit {shown})")
    if kind == "duration" and value > DURATION_LIMITS.get(unit, 36500):
        raise _error(kind, text, "期限过长", "period too long")
    if kind == "count" and value != value.to_integral_value():
        raise _error(kind, text, "数量应为整数", "a count must be a whole number")
    return value


_DURATION_UNIT = {"个工作日": "工作日", "工作日": "工作日", "个自然日": "日", "自然日": "日", "日": "日",
                  "天": "日", "个月": "月", "年": "年", "周": "周"}
_COUNT_UNIT = {"名": "人", "位": "人"}


def _unit_of(kind: str, raw: str | None) -> str:
    if kind == "amount":
        return "元"
    if kind == "area":
        return "平方米"
    if kind == "duration":
        return _DURATION_UNIT.get(raw or "", raw or "")
    if kind == "count":
        return _COUNT_UNIT.get(raw or "", raw or "")
    return raw or ""


def _from_number(value: object, kind: Kind) -> Quantity:
    """An int/Decimal/float handed in by code (YAML, pydantic) rather than typed text."""
    if isinstance(value, bool):
        raise _error(kind, value, "不是数值", "not a number")
    if isinstance(value, float):
        if not math.isfinite(value):
            raise _error(kind, value, "不是有限的数", "not a finite number")
        number = Decimal(repr(value))
    else:
        number = Decimal(value)  # type: ignore[arg-type]
    if kind in ("percent", "duration", "date"):
        raise _error(kind, value, "缺少单位", "the unit is missing")
    unit = _unit_of(kind, None)
    return Quantity(kind, _check_range(kind, number, str(value), unit), unit, text=str(value))


def parse_quantity(value: object, kind: Kind) -> Quantity:
    """Parse one figure of the given kind from text (or a number/date passed by code).

    A bare number is read as 元 for amounts, 平方米 for areas and a plain count for counts;
    percentages, durations and dates need their unit or form. Qualifiers such as "及以上" or
    "不低于" are kept on the result (`qualifier`) and do not change the value.
    """
    if kind not in KINDS:
        raise CalcError(f"未知的数值类型 {kind}（unknown kind {kind}; choose one of: {', '.join(KINDS)}）")
    if isinstance(value, Quantity):
        if value.kind != kind:
            raise _error(kind, value.text or value.display(), f"这是{KIND_NAMES[value.kind][0]}", f"this is a {value.kind}")
        if isinstance(value.value, Decimal):
            _check_range(kind, value.value, value.text or value.display(), value.unit)
        return value
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        if kind != "date":
            raise _error(kind, value, "这是日期", "this is a date")
        return Quantity("date", value, "", text=value.isoformat())
    if isinstance(value, (int, float, Decimal)):
        return _from_number(value, kind)
    if not isinstance(value, str):
        raise _error(kind, value, "类型不对", f"unsupported type {type(value).__name__}")
    text = normalize_width(value).strip()
    if not text:
        raise _error(kind, value, "内容为空", "empty")
    if _SCI_RE.search(text):
        raise _error(kind, value, "不支持科学计数法", "scientific notation is not accepted")
    if kind == "date":
        return _parse_date(text, value)
    if text.startswith(("-", "负")):
        raise _error(kind, value, "不能为负数", "must not be negative")
    # "2024-2026" typed on its own is a year span too (in free text it needs its 年)
    if kind == "duration" and (span := _YEAR_SPAN_RE.fullmatch(text) or _YEAR_SPAN_RE.fullmatch(f"{text}年")):
        return _year_span(span, value, (0, len(value)))
    if kind == "percent":
        m = re.fullmatch(rf"{_PREFIX}\s*{_PCT_RE.pattern}\s*", text)
        if not m:
            raise _error(kind, value, "不是百分比", "not a percentage")
        return _percent(m, value, (0, len(value)))
    m = re.fullmatch(rf"{_PREFIX}\s*{_NUM}\s*{_MULT}\s*(?P<unit>{_UNIT_PATTERNS.get(kind, '(?!)')})?\s*{_SUFFIX}\s*", text)
    if not m:
        raise _error(kind, value, "不是可识别的数字和单位", "not a number with a known unit")
    if kind == "duration" and not m.group("unit"):
        raise _error(kind, value, "缺少单位（日、工作日、月、年）", "the unit (日, 工作日, 月, 年) is missing")
    unit = _unit_of(kind, m.group("unit"))
    number = _check_range(kind, _to_decimal(m.group("num"), m.group("mult"), kind, value), value, unit)
    return Quantity(kind, number, unit, text=value, span=(0, len(value)),
                    qualifier=m.group("prefix") or _clean_suffix(m.group("suffix")))


def _clean_suffix(suffix: str | None) -> str | None:
    if not suffix:
        return None
    return suffix.replace("(", "（").replace(")", "）")


def _percent(m: re.Match[str], text: str, span: tuple[int, int]) -> Quantity:
    raw = m.group("num") or m.group("cn")
    pct = _to_decimal(raw, "", "percent", text)
    if m.group("sign"):
        raise _error("percent", text, "不能为负数", "must not be negative")
    fraction = _check_range("percent", pct / 100, text)
    prefix = m.groupdict().get("prefix")
    return Quantity("percent", fraction, "%", text=text, span=span,
                    qualifier=prefix or _clean_suffix(m.group("suffix")))


def _make_date(y: str | int, mo: str, d: str, text: str, span: tuple[int, int], *,
               year_assumed: bool = False) -> Quantity:
    try:
        day = dt.date(int(y), int(mo), int(d))
    except ValueError as exc:
        reason = f"{y}年没有这一天" if year_assumed else "没有这一天"
        raise _error("date", text, reason, f"no such day in {y}" if year_assumed else "no such day") from exc
    if not 1900 <= day.year <= 2200:
        raise _error("date", text, "年份超出范围（1900–2200）", "year out of range (1900–2200)")
    return Quantity("date", day, "", text=text, span=span, year_assumed=year_assumed)


def with_year(q: Quantity, year: int) -> Quantity:
    """A date written without its year ("6月3日"), read in `year`; other figures unchanged."""
    if not q.year_assumed or q.day.year == year:
        return q
    return _make_date(year, str(q.day.month), str(q.day.day), q.text, q.span, year_assumed=True)


def _year_span(m: re.Match[str], text: str, span: tuple[int, int]) -> Quantity:
    first, last = int(m.group("a")), int(m.group("b"))
    if last < first:
        raise _error("duration", text, "起止年份颠倒", "the span ends before it starts")
    count = Decimal(last - first + 1)
    _check_range("duration", count, text, "年")
    return Quantity("duration", count, "年", text=text, span=span, years=(first, last))


def _default_year() -> int:
    """The year of "today": ASSISTANT_TODAY when set (tests, evals), else the clock."""
    try:
        from assistant.settings import get_settings

        return get_settings().today_or_now().year
    except Exception:  # noqa: BLE001 - settings are optional for the pure parser
        return dt.date.today().year


def _parse_date(text: str, original: str) -> Quantity:
    m = _DATE_RE.fullmatch(text)
    if not m and (md := _MONTH_DAY_RE.fullmatch(text)):
        return _make_date(_default_year(), md.group("m"), md.group("d"), original, (0, len(original)),
                          year_assumed=True)
    if not m:
        raise _error("date", original, "不是完整的年月日", "not a full year-month-day date")
    return _make_date(m.group("y"), m.group("m1") or m.group("m2"), m.group("d1") or m.group("d2"),
                      original, (0, len(original)))


def parse_amount(value: object) -> Quantity:
    """3000万元, 1.2亿, 9.9亿元, 一百万, 2,500万, ５０００, 30亿元及以上 → 元."""
    return parse_quantity(value, "amount")


def parse_area(value: object) -> Quantity:
    """4800平方米, 4800㎡, 4800 平米, 1.2万平方米 → 平方米."""
    return parse_quantity(value, "area")


def parse_count(value: object) -> Quantity:
    """35家, 12个, 3人, 十五家 → a whole number with its unit (名/位 become 人)."""
    return parse_quantity(value, "count")


def parse_percent(value: object) -> Quantity:
    """62%, 60％, 百分之六十 → the fraction Decimal('0.62'); at most 100%."""
    return parse_quantity(value, "percent")


def parse_duration(value: object) -> Quantity:
    """45日, 7天, 5个工作日, 3年, 两年, 6个月 → number with unit 日/工作日/月/年."""
    return parse_quantity(value, "duration")


def parse_date(value: object) -> dt.date:
    """2026年3月2日, 2026-03-02, 2026/3/2 (or a date) → datetime.date."""
    return parse_quantity(value, "date").day


