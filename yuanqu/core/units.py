"""Units of the trade: rent, land area, sale prices, money formatting and Chinese numerals.

Everything here is pure and works in `Decimal`, so a price typed as "0.6 元/㎡·天" comes back
out of a round trip as the same figure and never as 0.59999999.

Conventions (judgement calls shared by the whole platform):
- a rent month is `DAYS_PER_MONTH = 30` days, as park price lists quote it (0.6 元/㎡·天 = 18 元/㎡·月);
- 1 亩 = 10000/15 ㎡ (666.67 ㎡), the statutory definition, kept exact as a fraction;
- money in the trade is quoted in 万元 (10⁴ 元) and 亿元 (10⁸ 元).

Conversions return full precision; round with `quantize()` where a value is stored or shown.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Literal, get_args

Numeric = Decimal | int | float | str
RentUnit = Literal["yuan_m2_day", "yuan_m2_month", "yuan_month"]
RENT_UNITS: tuple[str, ...] = get_args(RentUnit)

DAYS_PER_MONTH = 30
M2_PER_MU_NUMERATOR = Decimal(10000)
M2_PER_MU_DENOMINATOR = Decimal(15)
MU_IN_M2 = M2_PER_MU_NUMERATOR / M2_PER_MU_DENOMINATOR  # 666.666… ㎡
YUAN_PER_WAN = Decimal(10000)
WAN_PER_YI = Decimal(10000)


def to_decimal(value: Numeric) -> Decimal:
    """Any number as a Decimal; floats go through their shortest repr (0.1 → Decimal('0.1'))."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, bool):
        raise TypeError("A boolean is not a quantity.")
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value))
    try:
        return Decimal(value.strip().replace(",", ""))
    except InvalidOperation:
        raise ValueError(f"Not a number: {value!r}") from None


def quantize(value: Numeric, places: int = 2) -> Decimal:
    """Round half up to `places` decimals (how prices are quoted and stored)."""
    return to_decimal(value).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


# ---------------------------------------------------------------------------------------
# Rent: 元/㎡·天 ↔ 元/㎡·月 ↔ 元/月 (monthly total for an area)


def yuan_m2_day_to_month(price_yuan_m2_day: Numeric) -> Decimal:
    """元/㎡·天 → 元/㎡·月 on a 30-day month (0.6 → 18)."""
    return to_decimal(price_yuan_m2_day) * DAYS_PER_MONTH


def yuan_m2_month_to_day(price_yuan_m2_month: Numeric) -> Decimal:
    """元/㎡·月 → 元/㎡·天 on a 30-day month (18 → 0.6)."""
    return to_decimal(price_yuan_m2_month) / DAYS_PER_MONTH


def monthly_total_yuan(price_yuan_m2_month: Numeric, area_m2: Numeric) -> Decimal:
    """元/㎡·月 × ㎡ → 元/月 (the monthly rent for the whole area)."""
    return to_decimal(price_yuan_m2_month) * to_decimal(area_m2)


def _positive_area(area_m2: Numeric | None, unit: str) -> Decimal:
    if area_m2 is None:
        raise ValueError(f"A rent in {unit} needs the area to convert.")
    area = to_decimal(area_m2)
    if area <= 0:
        raise ValueError("The area must be greater than zero.")
    return area


def rent_to_yuan_m2_month(
    value: Numeric, unit: RentUnit, area_m2: Numeric | None = None
) -> Decimal:
    """Normalise a rent quoted in any of RENT_UNITS to 元/㎡·月 (a monthly total needs the area)."""
    amount = to_decimal(value)
    if unit == "yuan_m2_month":
        return amount
    if unit == "yuan_m2_day":
        return yuan_m2_day_to_month(amount)
    if unit == "yuan_month":
        return amount / _positive_area(area_m2, unit)
    raise ValueError(f"Unknown rent unit {unit!r}; use one of {', '.join(RENT_UNITS)}.")


def rent_from_yuan_m2_month(
    price_yuan_m2_month: Numeric, unit: RentUnit, area_m2: Numeric | None = None
) -> Decimal:
    """The inverse of `rent_to_yuan_m2_month`: express 元/㎡·月 in another unit."""
    price = to_decimal(price_yuan_m2_month)
    if unit == "yuan_m2_month":
        return price
    if unit == "yuan_m2_day":
        return yuan_m2_month_to_day(price)
    if unit == "yuan_month":
        return monthly_total_yuan(price, _positive_area(area_m2, unit))
    raise ValueError(f"Unknown rent unit {unit!r}; use one of {', '.join(RENT_UNITS)}.")


# ---------------------------------------------------------------------------------------
# Land: 亩 ↔ ㎡ and sale prices 万元 ↔ 万元/亩


def mu_to_m2(mu: Numeric) -> Decimal:
    """亩 → ㎡ (1 亩 = 10000/15 ㎡); multiplies before dividing to keep precision."""
    return to_decimal(mu) * M2_PER_MU_NUMERATOR / M2_PER_MU_DENOMINATOR


def m2_to_mu(area_m2: Numeric) -> Decimal:
    """㎡ → 亩; exact in decimal (× 15 ÷ 10000)."""
    return to_decimal(area_m2) * M2_PER_MU_DENOMINATOR / M2_PER_MU_NUMERATOR


def wan_total_to_wan_per_mu(total_wan: Numeric, area_m2: Numeric) -> Decimal:
    """A total price in 万元 for a plot of `area_m2` → 万元/亩."""
    area = to_decimal(area_m2)
    if area <= 0:
        raise ValueError("The area must be greater than zero.")
    return to_decimal(total_wan) * M2_PER_MU_NUMERATOR / (area * M2_PER_MU_DENOMINATOR)


def wan_per_mu_to_wan_total(price_wan_per_mu: Numeric, area_m2: Numeric) -> Decimal:
    """万元/亩 × the plot's area → total price in 万元."""
    return to_decimal(price_wan_per_mu) * m2_to_mu(area_m2)


def yuan_to_wan(yuan: Numeric) -> Decimal:
    return to_decimal(yuan) / YUAN_PER_WAN


def wan_to_yuan(wan: Numeric) -> Decimal:
    return to_decimal(wan) * YUAN_PER_WAN


# ---------------------------------------------------------------------------------------
# Formatting (Chinese conventions: thousands separators, no trailing zeros; the English
# site writes money in CNY millions and the land unit as "mu")


def in_english() -> bool:
    from django.utils.translation import get_language

    return (get_language() or "").startswith("en")


def format_number(value: Numeric, places: int = 2) -> str:
    """`12345.50` → "12,345.5": grouped, rounded half up, trailing zeros dropped."""
    rounded = quantize(value, places)
    text = f"{rounded:,.{places}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in {"-0", ""} else text


def format_wan(value: Numeric, *, unit: Literal["wan", "yuan"] = "wan", places: int = 2) -> str:
    """An amount as "3,200万元"; pass `unit="yuan"` when the value is in 元."""
    wan = to_decimal(value) if unit == "wan" else yuan_to_wan(value)
    if in_english():
        return format_money_en(wan, places)
    return f"{format_number(wan, places)}万元"


def format_money_cn(value_in_wan: Numeric, places: int = 2) -> str:
    """An amount in 万元 as the trade says it: ≥ 1 亿 → "1.5亿元", otherwise "3,200万元"
    (on the English site as `format_money_en` writes it)."""
    wan = to_decimal(value_in_wan)
    if in_english():
        return format_money_en(wan, places)
    if abs(wan) >= WAN_PER_YI:
        return f"{format_number(wan / WAN_PER_YI, places)}亿元"
    return f"{format_number(wan, places)}万元"


def format_money_en(value_in_wan: Numeric, places: int = 2) -> str:
    """An amount in 万元 as English readers count it: 3,200万元 → "CNY 32m", 1.5亿元 →
    "CNY 150m", 50万元 → "CNY 500k" (1万元 = CNY 10k)."""
    yuan = wan_to_yuan(value_in_wan)
    if abs(yuan) >= 1_000_000:
        return f"CNY {format_number(yuan / 1_000_000, places)}m"
    return f"CNY {format_number(yuan / 1_000, places)}k"


def format_area_m2(area_m2: Numeric, places: int = 2) -> str:
    """5000 → "5,000㎡"."""
    return f"{format_number(area_m2, places)}㎡"


def format_mu(mu: Numeric, places: int = 2) -> str:
    """2.5 → "2.5亩" ("2.5 mu" on the English site)."""
    return f"{format_number(mu, places)}{' mu' if in_english() else '亩'}"


RENT_UNIT_LABELS: dict[str, str] = {
    "yuan_m2_day": "元/㎡·天",
    "yuan_m2_month": "元/㎡·月",
    "yuan_month": "元/月",
}
RENT_UNIT_LABELS_EN: dict[str, str] = {
    "yuan_m2_day": " CNY/㎡/day",
    "yuan_m2_month": " CNY/㎡/month",
    "yuan_month": " CNY/month",
}


def format_rent(value: Numeric, unit: RentUnit = "yuan_m2_month", places: int = 2) -> str:
    """18 → "18元/㎡·月"; 0.6 with "yuan_m2_day" → "0.6元/㎡·天" ("18 CNY/㎡/month" in English)."""
    labels = RENT_UNIT_LABELS_EN if in_english() else RENT_UNIT_LABELS
    return f"{format_number(value, places)}{labels[unit]}"


# ---------------------------------------------------------------------------------------
# Chinese numerals in quantities: 五千, 一万二, 1.5万, 两千五, 八米五, 零点五, ５０００

DIGITS: dict[str, int] = {
    "零": 0, "〇": 0, "○": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4,
    "五": 5, "六": 6, "七": 7, "八": 8, "九": 9,
    "壹": 1, "贰": 2, "叁": 3, "肆": 4, "伍": 5, "陆": 6, "柒": 7, "捌": 8, "玖": 9,
}  # fmt: skip
SMALL_UNITS: dict[str, int] = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
BIG_UNITS: tuple[tuple[str, Decimal], ...] = (("亿", Decimal(10) ** 8), ("万", Decimal(10) ** 4))

_ARABIC_RE = re.compile(r"\d+(?:\.\d+)?")
_TOKEN_RE = re.compile(
    r"(?P<arabic>\d+(?:\.\d+)?)|(?P<digit>[" + "".join(DIGITS) + r"])|(?P<unit>[十拾百佰千仟])"
)
_DECIMAL_POINT = "点"


def _normalise(text: str) -> str:
    # NFKC turns full-width digits and the full-width point into ASCII (５０００ → 5000).
    text = unicodedata.normalize("NFKC", text)
    return re.sub(r"[\s,,]", "", text)


def _single_digit(text: str) -> int | None:
    if len(text) != 1:
        return None
    if text in DIGITS:
        return DIGITS[text]
    if text.isdigit():
        return int(text)
    return None


def _digit_string(text: str) -> str | None:
    """ "二零二三" / "2023" / "五" → "2023" / "2023" / "5"; None when any char is not a digit."""
    out = []
    for char in text:
        digit = _single_digit(char)
        if digit is None:
            return None
        out.append(str(digit))
    return "".join(out) or None


def _parse_below_wan(text: str) -> Decimal | None:
    """Numbers written with 千/百/十 (and Arabic digits, decimals with 点)."""
    if not text:
        return None
    if _ARABIC_RE.fullmatch(text):
        return Decimal(text)
    if _DECIMAL_POINT in text:
        whole, fraction = text.split(_DECIMAL_POINT, 1)
        whole_value = _parse_below_wan(whole)
        fraction_digits = _digit_string(fraction)
        if whole_value is None or fraction_digits is None or whole_value != int(whole_value):
            return None
        return Decimal(f"{int(whole_value)}.{fraction_digits}")
    digits = _digit_string(text)
    if digits is not None:
        # 五 → 5; 二零二三 read digit by digit → 2023.
        return Decimal(digits)

    total = Decimal(0)
    pending: Decimal | None = None
    last_unit: int | None = None
    zero_since_unit = False
    position = 0
    for match in _TOKEN_RE.finditer(text):
        if match.start() != position:
            return None
        position = match.end()
        if match.group("arabic") is not None or match.group("digit") is not None:
            token = match.group(0)
            if token in {"零", "〇", "○"}:
                zero_since_unit = True
                continue
            if pending is not None:
                return None
            pending = Decimal(token) if match.group("arabic") else Decimal(DIGITS[token])
            continue
        unit_value = SMALL_UNITS[match.group("unit")]
        if last_unit is not None and unit_value >= last_unit:
            return None  # 十百, 百百: not a number
        if pending is None:
            if unit_value != 10 or last_unit is not None:
                return None  # a bare 百/千 has no count; only 十 may stand alone (十五)
            pending = Decimal(1)
        total += pending * unit_value
        pending = None
        last_unit = unit_value
        zero_since_unit = False
    if position != len(text):
        return None
    if pending is not None:
        if last_unit is not None and last_unit >= 100 and not zero_since_unit:
            # Spoken shorthand: 两千五 = 2500, 一百二 = 120 (the digit counts the next unit down).
            total += pending * last_unit / 10
        else:
            total += pending  # 十五, 一百零五
    return total


def _parse(text: str) -> Decimal | None:
    for unit_char, unit_value in BIG_UNITS:
        if unit_char not in text:
            continue
        head, tail = text.split(unit_char, 1)
        head_value = _parse(head)
        if head_value is None:
            return None
        if not tail:
            return head_value * unit_value
        shorthand = _single_digit(tail)
        if shorthand is not None and shorthand != 0:
            return head_value * unit_value + shorthand * unit_value / 10  # 一万二 = 12000
        tail_value = _parse(tail.lstrip("零〇○"))
        if tail_value is None or tail_value >= unit_value:
            return None
        return head_value * unit_value + tail_value
    return _parse_below_wan(text)


def parse_chinese_number(text: str) -> Decimal | None:
    """Read a quantity written in Chinese or Arabic numerals, or a mix; None when it is not one.

    五千 → 5000, 一万二 → 12000, 1.5万 → 15000, 两千五 → 2500, 十五 → 15, 一百二十 → 120,
    零点五 → 0.5, ５０００ → 5000, 5千 → 5000, 3,200 → 3200. Measures such as 八米五 go through
    `parse_chinese_measure`.
    """
    if not text:
        return None
    normalised = _normalise(text)
    if not normalised:
        return None
    return _tidy(_parse(normalised))


def _tidy(value: Decimal | None) -> Decimal | None:
    """Drop the exponent noise of shorthand arithmetic: 1.5万 → Decimal('15000'), not '15000.0'."""
    if value is None:
        return None
    if value == value.to_integral_value():
        return value.quantize(Decimal(1))
    return value.normalize()


def parse_chinese_measure(text: str, unit: str) -> Decimal | None:
    """Read a quantity followed by its unit, including the spoken decimal form.

    ("八米五", "米") → 8.5; ("两米半", "米") → 2.5; ("2.5亩", "亩") → 2.5; ("8米", "米") → 8;
    a bare number ("12") is read as it is. None when the text is not such a quantity.
    """
    if not text:
        return None
    normalised = _normalise(text)
    unit = _normalise(unit)
    if not unit or unit not in normalised:
        return parse_chinese_number(normalised)
    head, tail = normalised.split(unit, 1)
    head_value = parse_chinese_number(head)
    if head_value is None:
        return None
    if not tail:
        return head_value
    if head_value != int(head_value):
        return None  # 8.5米5 is not a quantity
    if tail == "半":
        return head_value + Decimal("0.5")
    fraction_digits = _digit_string(tail)
    if fraction_digits is None:
        return None
    return Decimal(f"{int(head_value)}.{fraction_digits}")
