"""gen: YAML project files → 财政项目支出绩效目标表 / 绩效目标申报表 Word forms."""

__version__ = "0.1.0"
