"""What each key of a project file means, in Chinese: the text behind new-file comments and editor hints."""

from __future__ import annotations

from gen.schema import ZERO_STYLES
from gen.vocabulary import (
    AMOUNT_UNITS,
    APPLICATION_FORM,
    CATEGORIES,
    FORMS,
    FRAMEWORK,
    NATURES,
    SHORT_CATEGORIES,
    SHORT_NATURES,
    TARGET_FORM,
)

EITHER_UNIT = "万元或元，见 格式.金额单位"  # where the project's unit is not known

TITLES: dict[str, str] = {
    "表样": "表样（用哪一种表格）",
    "年度": "预算年度",
    "项目名称": "项目名称",
    "项目类别": "项目类别",
    "项目性质": "项目性质",
    "主管部门": "主管部门",
    "实施单位": "实施单位",
    "计划开始日期": "计划开始日期",
    "计划完成日期": "计划完成日期",
    "项目期间": "项目期间",
    "项目资金": "项目资金",
    "项目资金总额": "项目资金总额",
    "财政资金": "财政资金",
    "其他资金": "其他资金",
    "年度资金": "年度资金",
    "年度资金申请总额": "年度资金申请总额",
    "当年财政拨款": "当年财政拨款",
    "上年结转资金": "上年结转资金",
    "项目总目标": "项目总目标",
    "年度总体目标": "年度总体目标",
    "绩效指标": "绩效指标",
    "其他栏目": "其他栏目（本区表样多出的栏目）",
    "格式": "格式（显示选项）",
    "日期格式": "日期格式",
    "金额小数位": "金额小数位",
    "千分位": "千分位",
    "零值": "零值写法",
    "金额单位": "金额单位",
}

HELP: dict[str, str] = {
    "表样": f"{'、'.join(FORMS)}；不写时为{TARGET_FORM}",
    "年度": "四位数字，例如 2026；表头印作“（2026年度）”",
    "项目名称": "与预算系统中的项目名称一致",
    "项目类别": "",  # depends on 表样: see category_help
    "项目性质": f"仅{APPLICATION_FORM}填写：{'、'.join(NATURES)}（也可写简称，如 "
    f"{next(iter(SHORT_NATURES))}）",
    "主管部门": "主管部门全称",
    "实施单位": "实施单位全称",
    "计划开始日期": "YYYY-MM-DD，例如 2026-01-01",
    "计划完成日期": "YYYY-MM-DD，不早于计划开始日期",
    "项目期间": "可不写：跨年度项目写“起始年-结束年”，例如 2025-2026；不写时取两个计划日期的年份",
    "项目资金": "单位{unit}，只写数字，不加千分位逗号",
    "项目资金总额": "可不写，由程序计算；写了就必须等于 财政资金 + 其他资金",
    "财政资金": "数字（{unit}），不小于 0",
    "其他资金": "数字（{unit}）；没有就写 0 或删除这一行",
    "年度资金": "单位{unit}，只写数字，不加千分位逗号",
    "年度资金申请总额": "可不写，由程序计算；写了就必须等于 当年财政拨款 + 上年结转资金 + 其他资金",
    "当年财政拨款": "数字（{unit}），不小于 0",
    "上年结转资金": "数字（{unit}）；没有就写 0 或删除这一行",
    "项目总目标": "整个项目期间要达到的目标；换行即在表格中另起一段",
    "年度总体目标": "本年度要达到的目标；多段时写成 “年度总体目标: |”，下面每段一行",
    "绩效指标": "一级指标 → 二级指标 → 三级指标: 指标值，按填写顺序打印；用不到的二级指标整段删除",
    "其他栏目": "可不写：本区表样上 gen 没有的栏目，栏目名称: 文字，例如 项目负责人: 张三；"
    "用 gen template 做的模板照各项目的填写印出",
    "格式": "可不写：表格里日期和金额的显示方式",
    "日期格式": "例如 YYYY.MM.DD、YYYY-M-D、YYYY年M月D日；默认 YYYY.MM.DD",
    "金额小数位": "金额至少打印几位小数（0 到 6）；默认 2",
    "千分位": "true 或 false（true 时印作 3,082.53）；默认 false",
    "零值": f"金额为 0 或空时的写法：{'、'.join(ZERO_STYLES)}（0.00 按金额小数位）；默认 空白",
    "金额单位": f"金额的单位：{'、'.join(AMOUNT_UNITS)}，表上印作“项目资金 (万元)”；默认 万元",
}

INDICATOR_HELP: dict[str, str] = {
    "产出指标": "做了多少、做得怎样、何时完成、花了多少",
    "效益指标": "项目带来的效果",
    "满意度指标": "服务对象的满意程度",
    "成本指标": "项目的成本（财预〔2021〕101号的一级指标）",
    "数量指标": "数量，例如 118人、≥8次",
    "质量指标": "质量，例如 验收合格率100%",
    "时效指标": "完成时间，例如 每月、12月底前",
    "成本指标.二级": "成本控制，例如 ≤预算金额",
    "经济效益指标": "对经济发展的影响",
    "社会效益指标": "对社会发展的影响，例如 提升、有效",
    "生态效益指标": "对生态环境的影响",
    "可持续影响指标": "长效作用，例如 建立健全",
    "服务对象满意度指标": "百分比，例如 ≥90%",
    "经济成本指标": "经济成本",
    "社会成本指标": "社会成本",
    "生态环境成本指标": "生态环境成本",
}
LEVEL1_HELP = "一级指标，例如 " + "、".join(FRAMEWORK)
LEVEL2_HELP = "二级指标，例如 数量指标、社会效益指标、服务对象满意度指标"
LEVEL3_HELP = "三级指标: 指标值，例如 “社工数量: 118人”“社工满意度: ≥90%”“保障水平: 提升”"


def category_help(form: str | None) -> str:
    """The allowed 项目类别 for one 表样 (None: both forms), with two of its short forms."""
    if form in CATEGORIES:
        shorts = "、".join(list(SHORT_CATEGORIES[form])[:2])
        return f"{form}填其中一项：{'、'.join(CATEGORIES[form])}（也可写简称，如 {shorts}）"
    return "；".join(category_help(f) for f in FORMS)


def indicator_help(name: str, level: int) -> str:
    """The note on a standard 一级 (level 1) or 二级 (level 2) indicator name."""
    if level == 2 and f"{name}.二级" in INDICATOR_HELP:
        return INDICATOR_HELP[f"{name}.二级"]
    return INDICATOR_HELP.get(name, "")


def help_for(key: str, form: str | None = None, unit: str | None = None) -> str:
    """The short Chinese note on one key; amounts name `unit` (None: either unit)."""
    if key == "项目类别":
        return category_help(form)
    return HELP[key].format(unit=unit or EITHER_UNIT)


def placeholder(what: str) -> str:
    """The placeholder text asking for `what`, e.g. “（请填写项目名称）”."""
    return f"（请填写{what}）"
