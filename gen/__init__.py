"""gen: YAML project files → 财政项目支出绩效目标表 / 绩效目标申报表 Word forms."""

__version__ = "0.1.0"

from gen.build import Report, build, check  # noqa: E402  (after the version: build reads nothing of it)
from gen.errors import Finding, GenError  # noqa: E402

__all__ = ["Finding", "GenError", "Report", "__version__", "build", "check"]
