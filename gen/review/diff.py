"""`gen diff`: open the two versions, compare them, write the redline; return what to print."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from gen import output
from gen.errors import GenError, error_detail, shown
from gen.review.compare import Comparison, compare
from gen.review.listing import as_json, text
from gen.review.redline import Redline, remove_outdated_redline, write_redline
from gen.review.revisions import opened


@dataclass
class DiffResult:
    """The comparison, and the redline when one was asked for (or why it could not be made)."""

    comparison: Comparison
    redline: Redline | None = None
    failure: GenError | None = None  # the redline could not be made: the listing still stands

    @property
    def exit_code(self) -> int:
        """0 whatever changed; the failure's code when the redline could not be made."""
        return 0 if self.failure is None else self.failure.exit_code

    def listing(self, fmt: str) -> str:
        """The comparison as text or JSON."""
        return as_json(self.comparison) if fmt == "json" else text(self.comparison)

    def notes(self) -> list[str]:
        """What happened to the redline, for stderr."""
        if self.failure is not None:
            return [f"错误：{self.failure.message}"]
        if self.redline is None:
            return []
        lines = [f"未列入修订稿：{line}" for line in self.redline.left_out]
        if self.redline.path is None:  # projects left out may well have changed forms
            which = "其余项目的表格内容都没有改动" if lines else "没有表格内容改动的项目"
            lines.append(f"修订稿：{which}，未生成{self.redline.outdated}")
        else:
            where = shown(self.redline.path)
            lines.append(
                f"修订稿：{where}（{self.redline.forms} 个项目的表格，修订标记可逐条接受或拒绝）"
            )
        return lines


def diff(
    arguments: Sequence[str], *, redline: Path | None = None, templates: Path | None = None
) -> DiffResult:
    """Compare the versions named by `[OLD] [NEW] [PATH...]`; write the redline to `redline`.

    A redline that cannot be made (its file held open, a broken template) does not take the
    comparison with it: the result holds the failure, and the listing is printed all the same.
    """
    if redline is not None:
        output.check_suffix(redline, "修订稿")  # a wrong name is refused before any work
    with opened(arguments) as versions:
        comparison = compare(versions)
    result = DiffResult(comparison)
    if redline is None:
        return result
    try:
        result.redline = write_redline(comparison, redline, templates)
    except output.WriteFailed as exc:  # made, not written: the file there is left as it was
        result.failure = exc
    except GenError as exc:  # a template that cannot be read or filled in
        result.failure = GenError(f"未生成修订稿：{exc.message}{remove_outdated_redline(redline)}")
    except Exception as exc:  # never a traceback: the listing is printed all the same
        problem = f"生成修订稿时出现意外错误（{error_detail(exc)}）"
        result.failure = GenError(f"未生成修订稿：{problem}{remove_outdated_redline(redline)}")
    return result
