"""`gen diff`: open the two versions, compare them, write the redline; return what to print."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from gen.errors import shown
from gen.review.compare import Comparison, compare
from gen.review.listing import as_json, text
from gen.review.redline import Redline, write_redline
from gen.review.revisions import opened


@dataclass
class DiffResult:
    """The comparison, and the redline when one was asked for."""

    comparison: Comparison
    redline: Redline | None = None

    def listing(self, fmt: str) -> str:
        """The comparison as text or JSON."""
        return as_json(self.comparison) if fmt == "json" else text(self.comparison)

    def notes(self) -> list[str]:
        """What happened to the redline, for stderr."""
        if self.redline is None:
            return []
        lines = [f"未列入修订稿：{line}" for line in self.redline.left_out]
        if self.redline.path is None:
            lines.append(f"修订稿：没有表格内容改动的项目，未生成{self.redline.outdated}")
        else:
            where = shown(self.redline.path)
            lines.append(
                f"修订稿：{where}（{self.redline.forms} 个项目的表格，修订标记可逐条接受或拒绝）"
            )
        return lines


def diff(
    arguments: Sequence[str], *, redline: Path | None = None, templates: Path | None = None
) -> DiffResult:
    """Compare the versions named by `[OLD] [NEW] [PATH...]`; write the redline to `redline`."""
    with opened(arguments) as versions:
        comparison = compare(versions)
    result = DiffResult(comparison)
    if redline is not None:
        result.redline = write_redline(comparison, redline, templates)
    return result
