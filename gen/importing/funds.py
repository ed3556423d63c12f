"""A form's money: which label is which amount of 项目资金 and 年度资金, and the amounts as written."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from gen.importing.printed import parse_amount
from gen.importing.tables import Cell
from gen.vocabulary import REQUIRED_FUNDS

if TYPE_CHECKING:
    from gen.importing.form import Form


def fund_labels(form: Form) -> tuple[dict[str, Cell], dict[str, Cell]]:
    """The label cells of 项目资金 and 年度资金, by key; the two 其他资金 told apart by
    column, or by row where the 年度资金 labels stand below (or above) the 项目资金 ones."""
    others = form.labels.get("其他资金", [])
    annual_labels = form.labels.get("年度资金申请总额", []) + form.labels.get("当年财政拨款", [])
    project_labels = form.labels.get("项目资金总额", []) + form.labels.get("财政资金", [])
    split = min((cell.col for cell in annual_labels), default=None)
    if split is None:
        project_other, annual_other = others[:1], others[1:2]
    elif project_labels and split <= max(cell.col for cell in project_labels):
        annual_row = min(cell.row for cell in annual_labels)
        project_row = min(cell.row for cell in project_labels)
        in_annual = (
            (lambda cell: cell.row >= annual_row)
            if annual_row > project_row
            else (lambda cell: cell.row < project_row)
        )
        project_other = [c for c in others if not in_annual(c)][:1]
        annual_other = [c for c in others if in_annual(c)][:1]
    else:
        project_other = [c for c in others if c.col < split][:1]
        annual_other = [c for c in others if c.col >= split][:1]
    project = _first_labels(form, ("项目资金总额", "财政资金"))
    annual = _first_labels(form, ("年度资金申请总额", "当年财政拨款", "上年结转资金"))
    project.update(("其他资金", cell) for cell in project_other)
    annual.update(("其他资金", cell) for cell in annual_other)
    return project, annual


def _first_labels(form: Form, keys: tuple[str, ...]) -> dict[str, Cell]:
    """The first label cell of each key the form has."""
    return {key: form.labels[key][0] for key in keys if key in form.labels}


def funds(form: Form) -> tuple[dict[str, Any], dict[str, Any], list[str]]:
    """项目资金 and 年度资金 as written, and every amount text printed."""
    texts: list[str] = []
    blocks = [_amounts(form, labels, texts) for labels in fund_labels(form)]
    return blocks[0], blocks[1], texts


def _amounts(form: Form, labels: dict[str, Cell], texts: list[str]) -> dict[str, Any]:
    """One money block: a printed amount as written, a blank one left out (0 when required)."""
    block: dict[str, Any] = {}
    for key in labels:
        text = form.read_value(labels[key])
        if text:
            texts.append(text)
        amount = parse_amount(text)
        if amount is None and key in REQUIRED_FUNDS:  # a blank one is how a form prints 0
            amount = Decimal(0)
        if amount is not None:
            block[key] = amount
    return block
