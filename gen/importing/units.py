"""The unit of a form's amounts: where the form states it (amount labels, lines above or below
the table, text boxes, page headers), every unit and currency it states, and the refusal of a
unit gen does not print."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from gen.amounts import in_unit, only_printable
from gen.importing.funds import fund_labels
from gen.importing.indicators import trailing_rows
from gen.importing.labels import AMOUNT_KEYS
from gen.importing.printed import amount_unit, one_line, parse_amount
from gen.importing.tables import distinct
from gen.importing.wordfile import WordFileError
from gen.vocabulary import (
    AMOUNT_UNITS,
    all_stated_units,
    in_renminbi,
    names_currency_only,
    unit_as_written,
)

if TYPE_CHECKING:
    from gen.importing.form import Form


def unit_of(form: Form) -> str | None:
    """The amount unit the form states: in an amount label, else in a line above the table,
    else in a row of the table below the indicators (“注：本表金额单位：元”), else in a text box,
    a line below the table or a page header or footer."""
    return (
        amount_unit(_unit_texts(form))
        or amount_unit(form.titles)
        or amount_unit(_trailing_texts(form))
        or amount_unit([text for _, text in form.elsewhere])
    )


def _trailing_texts(form: Form) -> list[str]:
    """The texts of the cells in the rows below the indicators (see trailing_rows)."""
    rows = trailing_rows(form)
    cells = [cell for r in rows for cell in form.table.rows[r] if cell.row == r]
    return [cell.text for cell in distinct(cells)]


def unit_statements(form: Form) -> list[tuple[str, str]]:
    """(unit, the text stating it, quoted and placed) for every amount unit the form states in
    an amount label or a line printed with it: (万元, “项目资金（万元）”), (元, 页眉里的“单位：元”)."""
    return [
        (unit, _quoted(where, text))
        for where, text in _printed_with_amounts(form)
        for unit in all_stated_units(text)
    ]


def currency_statements(form: Form) -> list[str]:
    """The texts, quoted and placed, that name the currency of the amounts but no unit of it:
    “项目资金（RMB）”, 页眉里的“币种：人民币”."""
    return [
        _quoted(where, text)
        for where, text in _printed_with_amounts(form)
        if names_currency_only(text)
    ]


def _printed_with_amounts(form: Form) -> list[tuple[str, str]]:
    """(where, text) of the amount labels and the lines printed with the form ("" where for
    those in the table and the title lines above it)."""
    texts = [*_unit_texts(form), *form.titles, *_trailing_texts(form)]
    return [("", text) for text in texts] + form.elsewhere


def stated_units(form: Form) -> dict[str, str]:
    """Each amount unit gen prints (元, 万元) that the form states, with the first text stating
    it (see unit_statements): more than one is a form to check by hand."""
    found: dict[str, str] = {}
    for unit, said in unit_statements(form):
        if unit in AMOUNT_UNITS:
            found.setdefault(unit, said)
    return found


def unsupported_units(form: Form) -> tuple[list[str], str, str]:
    """The amount units the form states that gen does not print (千元, 百万元, 亿元…), the
    texts stating them and the units as they write them, for a message: (["千元"],
    "“项目资金（仟元）”、页眉里的“单位：千元”", "仟元")."""
    others = [(unit, said) for unit, said in unit_statements(form) if unit not in AMOUNT_UNITS]
    units = list(dict.fromkeys(unit for unit, _ in others))
    said = "、".join(dict.fromkeys(said for _, said in others))
    return units, said, "”“".join(unit_as_written(unit, said) for unit in units)


def check_unit(form: Form) -> None:
    """Refuse a form stating a unit gen does not print (千元, 美元…): read as 元 or 万元, its
    amounts would be 10, 1000… times off, or in another currency; the message converts an
    amount of the form as an example when the unit is one of 元."""
    units, said, written = unsupported_units(form)
    if not units:
        return
    shown = "、".join(units)
    if all(map(in_renminbi, units)):
        unit, amount = units[0], _first_amount(form)
        yuan, wan = (format(in_unit(amount, unit, other), "f") for other in ("元", "万元"))
        taken = "元或万元"
        rewrite = (
            f"把金额改写成以元或万元为单位（如 {amount:f} {unit}是 {yuan} 元，也就是 {wan} 万元）"
        )
    else:
        taken = "人民币"
        rewrite = "把金额按汇率折算成人民币、以元或万元为单位"
    raise WordFileError(
        f"表格上的金额单位是{shown}（{said}）；{only_printable(units)}，"
        f"为了不把{shown}的金额当作{taken}，这个表格没有导入。请在 Word 中{rewrite}，"
        f"并把“{written}”改为“元”或“万元”后再导入",
        "unit-unsupported",
    )


def _first_amount(form: Form) -> Decimal:
    """The form's first amount that is not zero (1 when there is none), for an example."""
    for labels in fund_labels(form):
        for label in labels.values():
            cell = form.value_beside(label)
            amount = parse_amount(cell.text) if cell is not None else None
            if isinstance(amount, Decimal) and amount:
                return amount
    return Decimal(1)


def _unit_texts(form: Form) -> list[str]:
    """The texts of the amount labels, which may state the unit ("项目资金（元）")."""
    return [cell.text for key in AMOUNT_KEYS for cell in form.labels.get(key, [])]


def _quoted(where: str, text: str) -> str:
    """A text of the form quoted for a message, after its place: 页眉里的“单位：元”, “项目资金（元）”."""
    return f"{where}的“{one_line(text)}”" if where else f"“{one_line(text)}”"
