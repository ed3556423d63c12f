"""A form's 项目类别 and 项目性质: the boxes or text beside their labels, the choice they mark, and
the refusals of boxes that cannot be read for sure."""

from __future__ import annotations

from typing import TYPE_CHECKING

from gen.importing.checkboxes import emphasised_choice
from gen.importing.labels import CHOICE_KEYS
from gen.importing.printed import BoxLayoutError, box_spans, labelled_boxes, ticked_choices
from gen.importing.tables import Cell
from gen.importing.wordfile import WordFileError
from gen.vocabulary import CATEGORIES, NATURES

if TYPE_CHECKING:
    from gen.importing.form import Form


def choice_cells(form: Form, key: str) -> list[Cell]:
    """The cells beside the 项目类别 or 项目性质 label (boxes, or the value written as text)."""
    cells = form.labels.get(key)
    return form.beside(cells[0]) if cells and not form.writes_inline(cells[0]) else []


def choice_text(form: Form, key: str) -> str:
    """The text of the choices of 项目类别 or 项目性质: the cells beside the label, or what
    follows the label's colon in its own cell (“项目类别：☑经常性项目 ☐一次性项目”)."""
    cells = form.labels.get(key)
    if cells and form.writes_inline(cells[0]):
        return form.inline[id(cells[0])][1]
    return " ".join(cell.text for cell in choice_cells(form, key))


def has_boxes(form: Form, key: str) -> bool:
    """Whether the choices of a label hold checkboxes (项目类别, sometimes 项目性质)."""
    return bool(box_spans(choice_text(form, key)))


def chosen(form: Form, key: str) -> str | None:
    """项目类别 or 项目性质: the ticked box(es), the one choice of several set apart by its
    look (bold, underlined…), or the text written beside the label."""
    if not has_boxes(form, key):
        cell = form.value_beside(form.labels[key][0]) if key in form.labels else None
        marked = (
            emphasised_choice(cell.elements[0])
            if cell is not None and not form.writes_inline(cell)
            else None
        )
        return marked or form.text(key) or None
    form.mark_read(choice_cells(form, key))
    return "、".join(ticked_choices(choice_text(form, key))) or None


def check_boxes(form: Form, refused: str = "这个表格没有导入") -> None:
    """Refuse boxes of 项目类别 or 项目性质 that cannot be read for sure (see labelled_boxes)."""
    for key in CHOICE_KEYS:
        try:
            labelled_boxes(choice_text(form, key))
        except BoxLayoutError as exc:
            raise box_layout_error(form, key, exc, refused) from exc


def unboxed_choices_error(form: Form, key: str, text: str, refused: str) -> WordFileError:
    """Several choices written beside a label with no box at all: gen template cannot print
    which one a project takes the way the form marks it. `refused` says what is not done."""
    label = form.labels[key][0]
    shown = " ".join(line.strip() for line in text.splitlines() if line.strip())
    first, second, third = NATURES if key == "项目性质" else CATEGORIES[form.kind]
    return WordFileError(
        f"{form.place(label.row)}“{key}”旁写着“{shown}”，这几项都没有"
        f"勾选框，gen template 照它做不出按各项目勾选的模板；为了不勾错，{refused}。"
        f"请在 Word 中在每一项前面加上勾选框（如“☐{first} ☑{second} ☐{third}”），"
        f"或者只写选中的那一项（每张表在这一格印各项目自己的{key}）后再运行",
        "unboxed-choices",
        located=True,
    )


def box_layout_error(
    form: Form, key: str, error: BoxLayoutError, refused: str = "这个表格没有导入"
) -> WordFileError:
    """Boxes that cannot be read for sure: some before their labels and some after them, or
    crosses with no tick. `refused` says what is not done with the form."""
    label = form.labels[key][0]
    shown = " ".join(line.strip() for line in error.text.splitlines() if line.strip())
    first, second = (NATURES if key == "项目性质" else CATEGORIES[form.kind])[:2]
    where = f"{form.place(label.row)}“{key}”旁的勾选框“{shown}”"
    if error.reason == "cross":
        return WordFileError(
            f"{where}只有“×”、没有“√”，看不出“×”是选中了这一项还是没有选它；为了不勾错，"
            f"{refused}。请在 Word 中在选中的那一项的框里写上“√”（没有选的框空着或写“×”都可以，"
            f"如“（×）{first}  （√）{second}”）后再运行",
            "box-cross",
            located=True,
        )
    return WordFileError(
        f"{where}看不出每个框是它前面那一项的还是后面那一项的；为了不勾错，{refused}。"
        f"请在 Word 中把每个框都紧挨着写在它那一项的同一边，各项之间空一格"
        f"（如“（  ）{first}  （√）{second}”或“{first}（  ）  {second}（√）”）后再运行",
        "box-layout",
        located=True,
    )
