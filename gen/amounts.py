"""Amounts: what an amount may be written as, exact sums at any size, exact 元 ↔ 万元 conversion."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import MAX_EMAX, MAX_PREC, MIN_EMIN, Context, Decimal
from functools import reduce

from gen.vocabulary import in_renminbi, unit_exponent

MAX_INTEGER_DIGITS = 15  # FORMAT.md: at most 15 digits before the point
MAX_DECIMALS = 6  # and 6 after it: 0.000001 万元 is one 分
ZERO = Decimal(0)
# A context whose precision no sum reaches: adding in it is exact, and allocates only the digits
# the result has.
_UNBOUNDED = Context(prec=MAX_PREC, Emax=MAX_EMAX, Emin=MIN_EMIN)


def amount_problem(text: str, value: Decimal, unit: str = "万元") -> str | None:
    """Why an amount as written (`text`, read as `value`, in `unit`) cannot be printed, or None."""
    integers = max(value.adjusted() + 1, 0)
    decimals = max(-int(value.as_tuple().exponent), 0)
    fits = integers <= MAX_INTEGER_DIGITS and decimals <= MAX_DECIMALS
    if "e" in text.lower():
        plain = f"，写成 {value:f}" if fits else ""
        shown = text if len(text) <= 20 else f"{text[:20]}…"
        return f"金额不能用科学计数法（实际为“{shown}”）；请直接写出数字{plain}"
    if integers > MAX_INTEGER_DIGITS:
        return f"金额的整数部分有 {integers} 位，最多 {MAX_INTEGER_DIGITS} 位（单位是{unit}）；请核对金额"
    if decimals > MAX_DECIMALS:
        cent = "万元的第 6 位小数" if unit == "万元" else f"单位是{unit}，第 2 位小数"
        return f"金额有 {decimals} 位小数，最多 {MAX_DECIMALS} 位（{cent}就是 1 分钱）；请核对金额"
    return None


def only_printable(units: Iterable[str]) -> str:
    """What gen prints amounts in, said to a form or template stating `units` it does not print
    (千元, 美元…): that they are 人民币 too, when one of them is another currency."""
    if all(map(in_renminbi, units)):
        return "gen 的金额只能以元或万元为单位"
    return "gen 的金额只能是人民币，以元或万元为单位"


def exact_sum(amounts: Iterable[Decimal]) -> Decimal:
    """The sum of amounts without rounding (Decimal's default context keeps only 28 digits).

    Each addition keeps every digit it needs (_UNBOUNDED); call it with checked amounts only,
    as an amount of 10**-999999999 would need that many digits.
    """
    values = [ZERO, *amounts]
    if not all(value.is_finite() for value in values):
        return sum(values, ZERO)
    return reduce(_UNBOUNDED.add, values)


def in_unit(amount: Decimal, unit: str, wanted: str) -> Decimal:
    """An amount converted exactly between units of 元 (1 元 = 0.0001 万元; never rounded).

    Only the decimal point moves (no trailing zeros are added): 297554.85 元 is 29.755485 万元,
    3082.53 万元 is 30825300 元; an amount already in the wanted unit is returned as written.
    """
    if unit == wanted:
        return amount
    moved = amount.scaleb(unit_exponent(unit) - unit_exponent(wanted)).normalize()
    exponent = moved.as_tuple().exponent
    return moved.quantize(Decimal(1)) if isinstance(exponent, int) and exponent > 0 else moved


def in_words(yuan: Decimal) -> str:
    """An amount of 元 as one says it, in 亿元, 万元 or 元: 800000000 → "8 亿元", 563800 → "56.38 万元"."""
    unit = "亿元" if abs(yuan) >= 10**8 else "万元" if abs(yuan) >= 10**4 else "元"
    return f"{in_unit(yuan, '元', unit):f} {unit}"
