"""Where the Word templates are: the folder given, ./templates, the installed copy, the checkout's.

A folder may hold the template of one 表样 only (`gen template` writes the one its form is of):
the other 表样 then uses the installed copy, and the build says so.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from gen.errors import GenError, UsageError, shown
from gen.vocabulary import FORMS

TEMPLATE_FILES = tuple(f"{form}.docx" for form in FORMS)
_PACKAGE_DIR = Path(__file__).resolve().parent
INSTALLED = (_PACKAGE_DIR / "_templates", _PACKAGE_DIR.parent / "templates")  # wheel, checkout


def find_template_dir(explicit: Path | None = None) -> Path:
    """The folder holding the templates: `explicit`, ./templates, the installed copy, the checkout's."""
    if explicit is not None:
        if not explicit.is_dir():
            what = "是一个文件，不是文件夹" if explicit.exists() else "不存在"
            raise UsageError(f"模板目录 {shown(explicit)} {what}；请检查 --templates 参数")
        return explicit
    for folder in (Path("templates"), *INSTALLED):
        if any((folder / name).is_file() for name in TEMPLATE_FILES):
            return folder
    raise GenError(
        "找不到模板目录：当前目录下没有 templates/，安装包里也没有模板；"
        "请用 --templates 指定存放 绩效目标表.docx 和 绩效目标申报表.docx 的文件夹"
    )


def template_file(folder: Path, form: str) -> Path:
    """A 表样's template: the folder's own file, else the installed copy.

    When neither is there, the folder's path: the one to name as missing.
    """
    own = folder / f"{form}.docx"
    if own.is_file():
        return own
    return next((copy / own.name for copy in INSTALLED if (copy / own.name).is_file()), own)


def installed_notes(folder: Path, built: Mapping[str, int]) -> list[str]:
    """A line for each 表样 whose forms were built from the installed copy, `folder` lacking it,
    naming the file (in a checkout, the checkout's templates/, which `gen template --force` run
    there may have replaced)."""
    return [
        f"提示：{shown(folder)} 里没有 {form}.docx，这种表样的 {built[form]} 张表格"
        f"按随 gen 安装的模板 {shown(used)} 生成"
        for form in FORMS
        if built.get(form) and (used := template_file(folder, form)).parent != folder
    ]
