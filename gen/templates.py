"""Where the Word templates are: the folder given, ./templates, the installed copy, the checkout's."""

from __future__ import annotations

from pathlib import Path

from gen.errors import GenError, UsageError, shown
from gen.vocabulary import FORMS

TEMPLATE_FILES = tuple(f"{form}.docx" for form in FORMS)
_PACKAGE_DIR = Path(__file__).resolve().parent


def find_template_dir(explicit: Path | None = None) -> Path:
    """The folder holding the templates: `explicit`, ./templates, the installed copy, the checkout's."""
    if explicit is not None:
        if not explicit.is_dir():
            raise UsageError(f"模板目录 {shown(explicit)} 不存在；请检查 --templates 参数")
        return explicit
    candidates = (Path("templates"), _PACKAGE_DIR / "_templates", _PACKAGE_DIR.parent / "templates")
    for folder in candidates:
        if any((folder / name).is_file() for name in TEMPLATE_FILES):
            return folder
    raise GenError(
        "找不到模板目录：当前目录下没有 templates/，安装包里也没有模板；"
        "请用 --templates 指定存放 绩效目标表.docx 和 绩效目标申报表.docx 的文件夹"
    )
