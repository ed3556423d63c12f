"""The shape of a project file (FORMAT.md's key table) as a cerberus schema, and normalisation."""

from __future__ import annotations

import copy
import difflib
import re
from collections.abc import Callable, Iterable, Iterator, Sized
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from functools import cache
from typing import Any

import cerberus
from cerberus import TypeDefinition
from cerberus import errors as ce

from gen.amounts import amount_problem
from gen.characters import INVISIBLE
from gen.errors import MAX_FINDINGS, Finding
from gen.load import YAML_DATE, KeyPath, Source, yaml_date
from gen.numerals import date_match, date_numbers, dates_in
from gen.values import folded
from gen.vocabulary import (
    AMOUNT_UNITS,
    APPLICATION_FORM,
    CATEGORIES,
    CATEGORY_VALUES,
    DATE_KEYS,
    FORMAT,
    FORMS,
    FUND_BLOCKS,
    FUND_TOTALS,
    INDICATORS,
    NATURE_VALUES,
    NATURES,
    OTHERS,
    REQUIRED_FUNDS,
    TARGET_FORM,
    YEARS,
    row_label,
    simplified,
)
from gen.yaml_errors import LOOKS_LIKE_SPACE, character_name, fullwidth_fix

ZERO_STYLES = ("空白", "0", "0.00")  # 0.00: a zero printed with the amounts' decimals
FORMAT_DEFAULTS: dict[str, Any] = {
    "日期格式": "YYYY.MM.DD",
    "金额小数位": 2,
    "千分位": False,
    "零值": "空白",
    "金额单位": AMOUNT_UNITS[0],
}
PLAIN_KEYS: tuple[str, ...] = ("年度", "项目名称", "项目类别", "主管部门", "实施单位")
PLAIN_KEYS += ("计划开始日期", "计划完成日期", "项目总目标", "年度总体目标")
TEXT_KEYS: tuple[str, ...] = ("表样", "项目名称", "项目类别", "项目性质", "主管部门", "实施单位")
TEXT_KEYS += ("项目总目标", "年度总体目标", "项目期间")  # YAML may type these; we want the text

_PERIOD = re.compile(r"([0-9]{4})-([0-9]{4})")
_COMPACT_DATE = re.compile(
    r"((?:19|20)[0-9]{2})(0[1-9]|1[0-2])(0[1-9]|[12][0-9]|3[01])"
)  # 20260101
_THOUSANDS = re.compile(r"[+-]?[0-9]{1,3}(,[0-9]{3})+(\.[0-9]+)?")
_DIGITS = re.compile(r"[+-]?[0-9]+(\.[0-9]+)?")
_WITH_UNIT = re.compile(r"[+-]?[0-9.]+\s*万?元")
PLACEHOLDER = re.compile(r"（请填写([^（）]*)）")  # what `gen new` leaves for the user to fill in
MAX_SHOWN = 40  # characters of a value quoted in a message

# ---------------------------------------------------------------- the schema

_TEXT = {"type": "string", "required": True, "empty": False}
_DATE = {"type": "day", "required": True}
_AMOUNT = {"type": "amount", "nullable": True, "min": 0}
_INDICATOR_VALUE = {"type": "string", "empty": False}
_LEVEL2 = {"type": "dict", "empty": False, "valuesrules": _INDICATOR_VALUE}
_LEVEL1 = {"type": "dict", "empty": False, "valuesrules": _LEVEL2}
_OTHER_TEXT = {"type": "string", "nullable": True}  # a 其他栏目 entry: text, or blank
_FORMAT_OPTIONS = {
    "日期格式": {"type": "string", "nullable": True},
    "金额小数位": {"type": "whole", "nullable": True, "min": 0, "max": 6},
    "千分位": {"type": "boolean", "nullable": True},
    "零值": {"type": "string", "nullable": True, "allowed": ZERO_STYLES},
    "金额单位": {"type": "string", "nullable": True, "allowed": AMOUNT_UNITS},
}


def _fund_schema(block: str) -> dict[str, Any]:
    """项目资金 / 年度资金: amounts ≥ 0, the base amount required."""
    rules = {key: _AMOUNT for key in FUND_BLOCKS[block]}
    rules.update({key: {**_AMOUNT, "required": True, "nullable": False} for key in REQUIRED_FUNDS})
    return {"type": "dict", "required": True, "schema": {k: rules[k] for k in FUND_BLOCKS[block]}}


def project_schema(form: str | None) -> dict[str, Any]:
    """The cerberus schema for one 表样 (None: 表样 unknown, accept both forms' values): a copy."""
    return copy.deepcopy(_schema(form))


@cache
def _schema(form: str | None) -> dict[str, Any]:
    """The schema validation uses, made once per 表样; never handed out, so never changed."""
    categories = CATEGORY_VALUES.get(
        form or "", CATEGORY_VALUES[TARGET_FORM] + CATEGORY_VALUES[APPLICATION_FORM]
    )
    schema: dict[str, Any] = {
        "表样": {"type": "string", "nullable": True, "allowed": FORMS},
        "年度": {"type": "whole", "required": True, "min": YEARS[0], "max": YEARS[1]},
        "项目名称": _TEXT,
        "项目类别": {**_TEXT, "allowed": categories},
        "项目性质": {**_TEXT, "required": form == APPLICATION_FORM, "allowed": NATURE_VALUES},
        "主管部门": _TEXT,
        "实施单位": _TEXT,
        "计划开始日期": _DATE,
        "计划完成日期": _DATE,
        "项目期间": {"type": "string", "nullable": True, "regex": _PERIOD.pattern},
        "项目资金": _fund_schema("项目资金"),
        "年度资金": _fund_schema("年度资金"),
        "项目总目标": _TEXT,
        "年度总体目标": _TEXT,
        INDICATORS: {"type": "dict", "required": True, "empty": False, "valuesrules": _LEVEL1},
        OTHERS: {"type": "dict", "nullable": True, "valuesrules": _OTHER_TEXT},
        FORMAT: {"type": "dict", "nullable": True, "schema": _FORMAT_OPTIONS},
    }
    if form == TARGET_FORM:
        del schema["项目性质"]  # the 绩效目标表 has no such cell
    return schema


class ProjectValidator(cerberus.Validator):
    """cerberus with the value types of a project file: exact amounts, whole numbers, plain dates."""

    types_mapping = {
        **cerberus.Validator.types_mapping,
        "amount": TypeDefinition("amount", (int, Decimal), (bool,)),
        "whole": TypeDefinition("whole", (int,), (bool,)),
        "day": TypeDefinition("day", (date,), (datetime,)),
    }

    def _error(self, *args: Any) -> None:
        """cerberus's, without re-sorting its errors and error trees after each one it adds.

        That sorting makes a file with thousands of unknown keys take minutes; validate()
        sorts the findings once, and the error trees are only read by rules we do not use.
        """
        if len(args) == 1:  # a list of errors: cerberus's single-error forms end up here too
            self._errors.extend(args[0])
        else:
            super()._error(*args)


class _Leaves(ce.BaseErrorHandler):
    """An error handler that hands back the individual errors, nested groups flattened."""

    def __call__(self, errors: Iterable[ce.ValidationError]) -> list[ce.ValidationError]:
        return list(_leaves(errors))


def _leaves(errors: Iterable[ce.ValidationError]) -> Iterator[ce.ValidationError]:
    """The non-group errors, depth first."""
    for error in errors:
        if error.is_group_error:
            yield from _leaves(error.child_errors)
        else:
            yield error


@cache
def _validator(form: str | None, proven: frozenset[str] = frozenset()) -> ProjectValidator:
    """One validator per 表样 and set of `proven` keys, reused across projects.

    For a top-level key in `proven` the rules of what lies below it (项目资金's amounts, the
    levels of 绩效指标) are left out, its own rules kept: surely_valid() has shown they hold.
    They are most of cerberus's work on a project (a child validator per mapping below).
    """
    schema = _schema(form)
    shallow = {key: _own_rules(schema[key]) for key in proven}
    return ProjectValidator({**schema, **shallow}, error_handler=_Leaves)


_NESTED = ("schema", "valuesrules")  # the rules that validate what lies below a mapping


def _own_rules(rules: dict[str, Any]) -> dict[str, Any]:
    """A key's rules without those of what lies below it."""
    return {rule: value for rule, value in rules.items() if rule not in _NESTED}


def _proven(schema: dict[str, Any], data: dict[str, Any]) -> frozenset[str]:
    """The top-level keys with rules below them that surely hold for this document."""
    return frozenset(
        key
        for key, rules in schema.items()
        if key in data and any(rule in rules for rule in _NESTED) and surely_valid(rules, data[key])
    )


def surely_valid(rules: dict[str, Any], value: Any) -> bool:
    """Whether cerberus would surely find nothing wrong with `value` under `rules`.

    A quick check that knows only the rules the schema uses (type, nullable, empty, min, max,
    allowed, and below a mapping schema, required and valuesrules); any other rule, or a value
    it cannot vouch for, makes it answer False, and cerberus then checks every rule.
    """
    return _check_of(rules)(value)


_Passes = Callable[[Any], bool]  # a value → whether it surely passes some rules
# id(rules) → the rules (kept, so that no other mapping gets their id) and their check
_CHECKS: dict[int, tuple[dict[str, Any], _Passes]] = {}


def _check_of(rules: dict[str, Any]) -> _Passes:
    """surely_valid for one mapping of rules, made on first use: each rule is read once.

    The mapping must not change afterwards: the schema's (_schema) are made once per 表样.
    """
    if id(rules) not in _CHECKS:
        _CHECKS[id(rules)] = (rules, _made_check(rules))
    return _CHECKS[id(rules)][1]


def _made_check(rules: dict[str, Any]) -> _Passes:
    """The check of a value against every rule of a mapping (see surely_valid)."""
    # None: cerberus then skips the rules _NOT_FOR_NONE names
    none_passes = rules.get("nullable") is True and _NOT_FOR_NONE.issuperset(rules)
    parts = [_rule_check(rule, constraint) for rule, constraint in rules.items()]
    parts = [part for part in parts if part is not _always]

    def check(value: Any) -> bool:
        if value is None:
            return none_passes
        # a loop, not all(…): a generator for each value would cost more than its rules
        for part in parts:  # noqa: SIM110
            if not part(value):
                return False
        return True

    return check


_NOT_FOR_NONE = frozenset(("nullable", "required", "type", "empty", "min", "max", "allowed"))
_NOT_FOR_NONE |= frozenset(_NESTED)


def _always(value: Any) -> bool:
    """A rule that holds for every value that is not None."""
    return True


def _never(value: Any) -> bool:
    """A rule the quick check does not know: cerberus is to check it."""
    return False


def _rule_check(rule: str, constraint: Any) -> _Passes:
    """One cerberus rule as a check of a value that is not None."""
    if rule in ("nullable", "required"):  # None is handled apart; required by the mapping
        return _always
    if rule == "type" and isinstance(constraint, str):
        kind = ProjectValidator.types_mapping.get(constraint)
        if kind is None:
            return _never
        included, excluded = kind.included_types, kind.excluded_types
        return lambda value: isinstance(value, included) and not isinstance(value, excluded)
    if rule == "empty":
        if constraint:
            return _always
        return lambda value: not isinstance(value, Sized) or len(value) > 0
    if rule in ("min", "max"):
        below = rule == "max"
        return lambda value: (
            isinstance(value, (int, Decimal))
            and not isinstance(value, bool)
            and (value <= constraint if below else value >= constraint)
        )
    if rule == "allowed":
        return lambda value: isinstance(value, str) and value in constraint
    if rule == "schema" and isinstance(constraint, dict):
        if not all(isinstance(rules, dict) for rules in constraint.values()):
            return _never  # a list's schema (the rules of its items): not known here
        return _mapping_check(constraint)
    if rule == "valuesrules" and isinstance(constraint, dict):
        each = _check_of(constraint)
        return lambda value: isinstance(value, dict) and all(map(each, value.values()))
    return _never


def _mapping_check(schema: dict[str, dict[str, Any]]) -> _Passes:
    """A `schema` rule: every required key there, and each key known and its value passing."""
    required = [key for key, rules in schema.items() if rules.get("required") is True]
    checks = {key: _check_of(rules) for key, rules in schema.items()}

    def check(value: Any) -> bool:
        if not isinstance(value, dict) or not all(key in value for key in required):
            return False
        for key, item in value.items():
            passes = checks.get(key)
            if passes is None or not passes(item):
                return False
        return True

    return check


# ---------------------------------------------------------------- validate


@dataclass
class _Check:
    """What one validation run knows and has found so far."""

    source: Source
    data: dict[str, Any]
    form: str | None
    findings: list[Finding] = field(default_factory=list)
    failed: set[KeyPath] = field(default_factory=set)
    suggested: set[KeyPath] = field(
        default_factory=set
    )  # "did you mean" targets: not also "missing"

    def report(self, path: KeyPath, code: str, message: str, *, at_value: bool = False) -> None:
        """An error at `path` (the key's line, or the value's line)."""
        where = self.source.locate_value(*path) if at_value else self.source.locate(*path)
        self.findings.append(Finding.at(where, ".".join(path), "error", code, message))
        self.failed.add(path)

    @property
    def unit(self) -> str:
        """The unit the file's amounts are in (格式.金额单位, else the default), for messages."""
        options = self.data.get(FORMAT)
        unit = options.get("金额单位") if isinstance(options, dict) else None
        return unit if unit in AMOUNT_UNITS else FORMAT_DEFAULTS["金额单位"]

    def shown(self, path: KeyPath, value: Any) -> str:
        """A value as the user wrote it, for a message."""
        if isinstance(value, dict):
            return "下一层的“键: 值”"
        if isinstance(value, list):
            return "一个列表"
        return f"“{clipped(self.source.raw.get(path, str(value)))}”"


def clipped(text: str) -> str:
    """A value short enough to quote in a message: a long one is cut, saying how long it is."""
    if len(text) <= MAX_SHOWN:
        return text
    return f"{text[: MAX_SHOWN // 2]}…（共 {len(text)} 个字符）"


def validate(source: Source) -> tuple[dict[str, Any] | None, list[Finding]]:
    """The normalised project (failed fields left out) and every schema problem of the file.

    The normalised document, what rules.py and model.py read:
    表样 (default 绩效目标表), 年度 int, the text fields str, 项目性质 str or None,
    计划开始日期 / 计划完成日期 date, 项目期间 (first, last) years (default: the dates' years),
    项目资金 {项目资金总额: Decimal | None, 财政资金, 其他资金: Decimal (default 0)},
    年度资金 {年度资金申请总额: Decimal | None, 当年财政拨款, 上年结转资金, 其他资金: Decimal},
    绩效指标 {一级: {二级: {三级: value as written}}} in file order, 格式 with defaults filled.
    """
    data = _prepared(source)
    form = _form(data)
    check = _Check(source, data, form)
    validator = _validator(form, _proven(_schema(form), data))
    # The schema has no default or coerce rules (defaults are filled in _normalised), so
    # cerberus's normalisation pass, most of its cost, is skipped.
    validator.validate(data, normalize=False)
    for error in sorted(validator.errors, key=lambda error: _error_place(source, error)):
        _translate(check, error)
    _check_amounts(check)
    _check_date_pattern(check)
    _check_period_order(check)
    _check_indicator_names(check)
    _check_other_labels(check)
    _check_placeholders(check)
    findings = sorted(_without_misspelt(check), key=Finding.sort_key)
    return _normalised(check), findings


def _without_misspelt(check: _Check) -> list[Finding]:
    """The findings, less "missing" for a key that was written misspelt (its unknown-key says it)."""
    misspelt = {".".join(path) for path in check.suggested}
    return [f for f in check.findings if not (f.code == "missing-key" and f.path in misspelt)]


def _prepared(source: Source) -> dict[str, Any]:
    """The data where text fields and indicator values are the text as written.

    Only what changes is copied (the top level, 格式, the 绩效指标 tree): the rest is shared
    with the Source and, through _defaults.yaml, with other projects, and never changed.
    """
    data = dict(source.data)
    for key in TEXT_KEYS:
        if key in data:
            data[key] = _as_text(source, (key,), data[key])
    options = data.get(FORMAT)
    if isinstance(options, dict):
        options = data[FORMAT] = dict(options)
        for key in ("日期格式", "零值", "金额单位"):
            if key in options:
                options[key] = _as_text(source, (FORMAT, key), options[key])
    if isinstance(data.get(INDICATORS), dict):
        data[INDICATORS] = _indicator_texts(source, data[INDICATORS])
    if isinstance(data.get(OTHERS), dict):
        data[OTHERS] = {
            label: _as_text(source, (OTHERS, label), text) for label, text in data[OTHERS].items()
        }
    return data


def _indicator_texts(source: Source, tree: dict[str, Any]) -> dict[str, Any]:
    """A copy of the 绩效指标 tree whose values three levels down are the text as written."""
    copied = {}
    for level1, level2s in tree.items():
        if isinstance(level2s, dict):
            level2s = {
                level2: _level3_texts(source, (INDICATORS, level1, level2), values)
                for level2, values in level2s.items()
            }
        copied[level1] = level2s
    return copied


def _level3_texts(source: Source, path: KeyPath, values: Any) -> Any:
    """One 二级's indicators, each value the text as written (anything but a mapping as it is)."""
    if not isinstance(values, dict):
        return values
    return {key: _as_text(source, (*path, key), value) for key, value in values.items()}


def _as_text(source: Source, path: KeyPath, value: Any) -> Any:
    """A scalar YAML typed as a number, date or bool, back to its text; only spaces (　 too) is empty."""
    if isinstance(value, str):
        return "" if value.isspace() else value
    if value is None or isinstance(value, (dict, list)):
        return value
    return source.raw.get(path, str(value))


def _form(data: dict[str, Any]) -> str | None:
    """The 表样 the file asks for (default 绩效目标表); None when it is not one we know."""
    form = data.get("表样")
    if form is None:
        return TARGET_FORM
    return form if form in FORMS else None


# ---------------------------------------------------------------- cerberus errors → findings


def _error_place(source: Source, error: ce.ValidationError) -> tuple[str, int]:
    """Where an error will be reported: errors are translated in the order findings are shown."""
    where = source.locate(*(str(key) for key in error.document_path))
    return where.file.as_posix(), where.line


def _translate(check: _Check, error: ce.ValidationError) -> None:
    """Turn one cerberus error into a Chinese finding."""
    path = tuple(str(key) for key in error.document_path)
    handler = _HANDLERS.get(error.code, _unexpected)
    handler(check, path, error)


def _unexpected(check: _Check, path: KeyPath, error: ce.ValidationError) -> None:
    """A cerberus rule without a dedicated message."""
    check.report(
        path, "wrong-type", f"不符合要求（{error.rule}）；实际为{check.shown(path, error.value)}"
    )


def _unknown_key(check: _Check, path: KeyPath, error: ce.ValidationError) -> None:
    """A key FORMAT.md does not have: suggest the nearest one."""
    key, parent = path[-1], path[:-1]
    allowed = list(_level_schema(check.form, parent))
    homes = [block for block, keys in FUND_BLOCKS.items() if key in keys and (block,) != parent]
    # Only the first MAX_FINDINGS findings of a file are shown, so only those get a suggestion:
    # difflib for each of thousands of unknown keys would take seconds.
    shown = len(check.findings) < MAX_FINDINGS
    close = difflib.get_close_matches(simplified(key), allowed, n=1) if shown else []
    if path == ("项目性质",) and check.form == TARGET_FORM:
        message = "绩效目标表没有“项目性质”一栏；请删除这一行，或改为 “表样: 绩效目标申报表”"
    elif "：" in key:
        message = f"这一行用了全角冒号“：”；{fullwidth_fix(key)}"
    elif INVISIBLE.search(key):
        message = _invisible_in_key(key, allowed)
        check.suggested.add((*parent, INVISIBLE.sub("", key).strip()))
    elif homes:
        message = "没有这一项；“{}” 应缩进写在 {} 下面".format(
            key, " 或 ".join(f"“{b}:”" for b in homes)
        )
    elif close and close[0] == simplified(key):
        message = f"没有这一项；“{key}”用了繁体字，请写 “{close[0]}”"
        check.suggested.add((*parent, close[0]))
    elif close:
        message = f"没有这一项；您是否想写 “{close[0]}”？"
        check.suggested.add((*parent, close[0]))
    else:
        message = "没有这一项；这里可用的键：" + "、".join(allowed)
        if not parent:  # a row of the district's form, most likely (备注, 项目负责人)
            message += f"；本区表样上 gen 没有的栏目，请缩进写在 “{OTHERS}:” 下面"
    check.report(path, "unknown-key", message)


def _invisible_in_key(key: str, allowed: list[str]) -> str:
    """A key that holds a character an editor shows as a space or as nothing."""
    name = character_name(INVISIBLE.search(key)[0])  # type: ignore[index]
    meant = INVISIBLE.sub("", key).strip()
    said = f"键“{meant}”" if meant in allowed else "这个键"
    return f"{said}里多了字符 {name}，{LOOKS_LIKE_SPACE}；请把这个键删掉重新输入"


def _level_schema(form: str | None, parent: KeyPath) -> dict[str, Any]:
    """The schema of the mapping at `parent`."""
    schema = _schema(form)
    for key in parent:
        schema = schema[key]["schema"]
    return schema


def _missing_key(check: _Check, path: KeyPath, error: ce.ValidationError) -> None:
    """A required key that is not there: at line 1, or at the line of its parent mapping."""
    key = path[-1]
    if len(path) > 1:
        message = f"缺少必填项；请在 “{path[-2]}:” 下面添加一行 “{key}: 金额”（{check.unit}）"
    elif key in (*FUND_BLOCKS, INDICATORS):
        message = f"缺少必填项；请添加 “{key}:”，并在下面{_block_content(key, check.unit)}"
    else:
        message = f"缺少必填项；请添加一行 “{key}: {_EXAMPLES.get(key, '…')}”{_choices(check, key)}"
    if key == "项目性质":
        message = "绩效目标申报表必须填写项目性质；" + message.removeprefix("缺少必填项；")
    check.report(path, "missing-key", message)


_BLOCK_CONTENT = {
    "项目资金": "逐行填写财政资金等金额（{unit}）",
    "年度资金": "逐行填写当年财政拨款等金额（{unit}）",
    INDICATORS: "按 一级指标 → 二级指标 → 三级指标: 指标值 逐层填写",
}


def _block_content(key: str, unit: str) -> str:
    """What goes below a block key, amounts in the file's unit."""
    return _BLOCK_CONTENT[key].format(unit=unit)


_EXAMPLES = {"年度": "2026", "计划开始日期": "2026-01-01", "计划完成日期": "2026-12-31"}


def _choices(check: _Check, key: str) -> str:
    """ "（可选：A、B）" for keys with a fixed set of values."""
    allowed = _listed(check.form, key, _schema(check.form).get(key, {}).get("allowed", ()))
    return f"（可选：{'、'.join(allowed)}）" if allowed else ""


def _listed(form: str | None, key: str, allowed: tuple[str, ...]) -> tuple[str, ...]:
    """The choices a message lists: for 项目类别 / 项目性质 the full names (short forms pass too)."""
    if key == "项目性质":
        return NATURES
    if key == "项目类别":
        return CATEGORIES.get(form or "", CATEGORIES[TARGET_FORM] + CATEGORIES[APPLICATION_FORM])
    return allowed


def _blank(check: _Check, path: KeyPath, error: ce.ValidationError) -> None:
    """A key written with nothing after it (or an empty mapping)."""
    if path[0] == INDICATORS:
        check.report(path, *_EMPTY_INDICATORS[min(len(path), 4) - 1])
    elif path[0] in FUND_BLOCKS and len(path) == 1:
        content = _block_content(path[0], check.unit)
        check.report(path, "missing-key", f"没有填写内容；请在下面{content}")
    elif path[-1] in REQUIRED_FUNDS:
        check.report(path, "missing-key", f"没有填写金额；请填写数字（{check.unit}），没有就写 0")
    else:
        check.report(path, "missing-key", "没有填写内容；请在冒号后填写")


_EMPTY_INDICATORS = (
    (
        "empty-indicators",
        "没有任何绩效指标；请按 一级指标 → 二级指标 → 三级指标: 指标值 至少填写一项",
    ),
    ("empty-indicators", "这个一级指标下没有二级指标；请补上二级指标和三级指标，或删除这一行"),
    ("empty-indicators", "这个二级指标下没有三级指标；请补上 “三级指标: 指标值”，或删除这一行"),
    ("empty-indicator-value", "没有填写指标值；请填写，例如 100%、≥8次、提升"),
)


def _bad_type(check: _Check, path: KeyPath, error: ce.ValidationError) -> None:
    """A value of the wrong kind: dates get their own code, amounts a hint."""
    if path in [(key,) for key in DATE_KEYS]:
        _bad_date(check, path, error.value)
        return
    named = _EXPECTED.get(path[-1]) if path[0] != OTHERS else None  # not a 其他栏目 label
    expected = named or _EXPECTED[_indicator_kind(path) or error.constraint]
    message = f"应为{expected}，实际为{check.shown(path, error.value)}"
    hint = _type_hint(error.constraint, error.value, check.unit)
    if not hint and path == ("年度",):
        hint = _year_hint(error.value, check.source.raw.get(path, ""))
    check.report(path, "wrong-type", message + hint, at_value="：" in hint)


def _year_hint(value: Any, written: str) -> str:
    """How to write a 年度 that is no whole number: 2026年 as 2026, 2026.0 as 2026."""
    if isinstance(value, str):
        return "；请只写数字，如 2026"
    whole = YEAR_WITH_POINT.fullmatch(written)
    return f"；年度不带小数点，请写成 {whole[1]}" if whole else ""


YEAR_WITH_POINT = re.compile(r"\+?([1-9][0-9]{3})\.0*")  # 2026.0, 2026.00, 2026.: a whole year


_EXPECTED = {
    "年度": "四位年份",
    "金额小数位": " 0 到 6 之间的整数",
    "indicator-value": "指标值（文字或数字）",
    "string": "文字",
    "amount": "数字",
    "whole": "整数",
    "dict": "下一层的“键: 值”",
    "boolean": " true 或 false",
}


def _indicator_kind(path: KeyPath) -> str | None:
    """ "indicator-value" for a value three levels down 绩效指标."""
    return "indicator-value" if path[0] == INDICATORS and len(path) == 4 else None


def _type_hint(expected: str, value: Any, unit: str) -> str:
    """How to fix a common wrong-type mistake, or ""."""
    if not isinstance(value, str):
        return ""
    invisible = INVISIBLE.search(value)
    if invisible:
        meant = INVISIBLE.sub("", value).strip()
        fix = f"，写成 {meant}" if _DIGITS.fullmatch(meant) else ""
        name = character_name(invisible[0])
        return f"；其中多了字符 {name}，{LOOKS_LIKE_SPACE}；请删掉它{fix}"
    if expected in ("amount", "whole") and _DIGITS.fullmatch(value):
        return (
            f"；请去掉引号，写成 {value}"  # written unquoted, it would have been read as a number
        )
    if expected in ("amount", "whole") and _DIGITS.fullmatch(folded(value)):
        return f"；请改用半角数字，写成 {folded(value)}"
    if expected == "amount" and _THOUSANDS.fullmatch(value):
        return f"；请去掉千分位逗号，写成 {value.replace(',', '')}"
    if expected == "amount" and _WITH_UNIT.fullmatch(value):
        return f"；请只写数字，单位是{unit}（由 格式.金额单位 设置）"
    if expected == "dict" and "：" in value:
        return f"；这一行用了全角冒号“：”，{fullwidth_fix(value.splitlines()[0])}"
    return ""


def _bad_date(check: _Check, path: KeyPath, value: Any) -> None:
    """A date that is impossible or not written as YYYY-MM-DD."""
    text = check.source.raw.get(path, str(value))
    plain = folded(text).strip()  # ２０２６－０１－０１ as 2026-01-01
    day = _loose_day(plain)
    written = YAML_DATE.fullmatch(text) if day else None
    if day and written and isinstance(yaml_date(text), date):
        # Written unquoted, YAML would have read it as a date: it was quoted.
        message = f"日期加了引号，会被当作文字（实际为“{text}”）；请去掉引号，写成 {day}"
    elif span := _span_of_dates(path, plain):
        message = span
    elif day and (written or not isinstance(yaml_date(day), date)):
        message = f"“{text}”不是有效日期；请填写日历上存在的日期（YYYY-MM-DD）"
    elif day:
        message = f"应为日期 YYYY-MM-DD，实际为“{text}”；请写成 {day}"
    else:
        message = f"应为日期 YYYY-MM-DD，实际为{check.shown(path, value)}"
    check.report(path, "bad-date", message)


def _span_of_dates(path: KeyPath, plain: str) -> str | None:
    """Why a plan date written as a span of two dates (2026.1.1-2026.12.31) is none, and which
    of them to write there; None when it is no such span."""
    dates = dates_in(plain)
    if len(dates) != 2 or plain[dates[0].end() : dates[1].start()].strip(" -—–~～至到") != "":
        return None
    starts = path[-1] == DATE_KEYS[0]
    day = _loose_day(dates[0 if starts else 1][0].strip())
    if day is None:
        return None
    which, other = ("开始", "结束") if starts else ("结束", "开始")
    return (
        f"“{plain}”写了起止两个日期；{path[-1]} 只写{which}的那一天：请写成 {day}，"
        f"{other}的那一天写在 {DATE_KEYS[1] if starts else DATE_KEYS[0]}"
    )


def _loose_day(plain: str) -> str | None:
    """A loosely written date (2026.1.1, 2026年1月1日, 20260101, 二〇二六年一月一日) as
    YYYY-MM-DD, the calendar unchecked; None for no date."""
    loose = date_match(plain)
    if loose:
        year, month, day = date_numbers(loose)
    elif compact := _COMPACT_DATE.fullmatch(plain):
        year, month, day = (int(part) for part in compact.groups())
    else:
        return None
    return f"{year}-{month:02}-{day:02}"


def _out_of_range(check: _Check, path: KeyPath, error: ce.ValidationError) -> None:
    """Below the minimum or above the maximum: negative amounts, odd years, decimals."""
    shown = clipped(check.source.raw.get(path, str(error.value)))
    if path[0] in FUND_BLOCKS:
        message = f"金额不能为负数（实际为 {shown}）；请填写 0 或正数"
        check.report(path, "negative-amount", message)
    elif path == ("年度",):
        check.report(path, "wrong-type", f"应为四位年份，实际为 {shown}")
    else:
        check.report(path, "bad-choice", f"应为 0 到 6 之间的整数，实际为 {shown}")


def _not_allowed(check: _Check, path: KeyPath, error: ce.ValidationError) -> None:
    """A value outside its fixed set; 项目类别 knows which 表样 uses which values."""
    value, allowed = (
        clipped(str(error.value)),
        "、".join(_listed(check.form, path[-1], error.constraint)),
    )
    if path == ("项目类别",) and check.form in FORMS:
        message = _category_message(check.form, value)
    else:
        message = f"“{value}”不是可用的{_CHOICE_NAMES.get(path[-1], path[-1])}；可选：{allowed}"
    check.report(path, "bad-choice", message)


_CHOICE_NAMES = {"表样": "表样", "项目性质": "项目性质", "零值": "零值写法", "金额单位": "金额单位"}


def _category_message(form: str, value: str) -> str:
    """项目类别 outside the set of this 表样, saying when it belongs to the other one."""
    other = APPLICATION_FORM if form == TARGET_FORM else TARGET_FORM
    allowed = "、".join(CATEGORIES[form])
    if value in CATEGORY_VALUES[other]:
        fix = f"；如果这是{other}，请写 “表样: {other}”"
        if form == APPLICATION_FORM and value in NATURE_VALUES:
            fix = f"（“{value}”在{form}里是项目性质）"
        return f"“{value}”是{other}的项目类别，{form}可选：{allowed}{fix}"
    return f"“{value}”不是{form}的项目类别；可选：{allowed}"


def _bad_period(check: _Check, path: KeyPath, error: ce.ValidationError) -> None:
    """项目期间 not written as two years."""
    message = f"应为“起始年-结束年”，例如 2025-2026，实际为“{clipped(str(error.value))}”"
    check.report(path, "bad-period", message)


_HANDLERS: dict[int, Callable[[_Check, KeyPath, ce.ValidationError], None]] = {
    ce.UNKNOWN_FIELD.code: _unknown_key,
    ce.REQUIRED_FIELD.code: _missing_key,
    ce.NOT_NULLABLE.code: _blank,
    ce.EMPTY_NOT_ALLOWED.code: _blank,
    ce.BAD_TYPE.code: _bad_type,
    ce.MIN_VALUE.code: _out_of_range,
    ce.MAX_VALUE.code: _out_of_range,
    ce.UNALLOWED_VALUE.code: _not_allowed,
    ce.REGEX_MISMATCH.code: _bad_period,
}


# ---------------------------------------------------------------- checks cerberus does not express


def _check_date_pattern(check: _Check) -> None:
    """格式.日期格式: the year, month and day once each, and no other Latin letters."""
    options = check.data.get(FORMAT)
    pattern = options.get("日期格式") if isinstance(options, dict) else None
    if isinstance(pattern, str):
        problem = date_pattern_problem(pattern)
        if problem is not None:
            check.report((FORMAT, "日期格式"), "bad-choice", problem)


_DATE_WORD = re.compile(r"[A-Za-z]+")
_SAME_LETTERS = re.compile(r"([A-Za-z])\1*")
_DATE_TOKENS = {"YYYY": "年", "MM": "月", "M": "月", "DD": "日", "D": "日"}
_DATE_PATTERN_HELP = "年写 YYYY，月写 M 或 MM，日写 D 或 DD，例如 YYYY.MM.DD、YYYY年M月D日"


def date_pattern_problem(pattern: str) -> str | None:
    """What is wrong with a 日期格式, or None: YYYY, M/MM and D/DD once each, nothing else in letters.

    A run of letters other than these (YYYY-MMM-DD, DDD日, “Day”) would print as a wrong date.
    """
    seen: list[str] = []
    for word in _DATE_WORD.finditer(pattern):
        for run in _SAME_LETTERS.finditer(word[0]):
            if run[0] not in _DATE_TOKENS:
                return f"“{pattern}”里的“{word[0]}”不是日期格式的写法；{_DATE_PATTERN_HELP}"
            seen.append(_DATE_TOKENS[run[0]])
    missing = [part for part in ("年", "月", "日") if part not in seen]
    if missing:
        return f"“{pattern}”缺少{'、'.join(missing)}；{_DATE_PATTERN_HELP}"
    twice = [part for part in ("年", "月", "日") if seen.count(part) > 1]
    if twice:
        return f"“{pattern}”里的{'、'.join(twice)}写了不止一次；{_DATE_PATTERN_HELP}"
    return None


def _check_amounts(check: _Check) -> None:
    """Amounts written out in full: no exponent, at most MAX_INTEGER_DIGITS and MAX_DECIMALS."""
    for block, keys in FUND_BLOCKS.items():
        amounts = check.data.get(block)
        if not isinstance(amounts, dict):
            continue
        for key in keys:
            value, path = amounts.get(key), (block, key)
            if isinstance(value, (int, Decimal)) and not isinstance(value, bool):
                written = check.source.raw.get(path, str(value))
                problem = amount_problem(written, Decimal(value), check.unit)
                if problem and path not in check.failed:
                    check.report(path, "bad-amount", problem)


def _check_period_order(check: _Check) -> None:
    """项目期间 runs forward in time."""
    match = _PERIOD.fullmatch(str(check.data.get("项目期间")))
    if match and int(match[1]) > int(match[2]):
        message = f"起始年 {match[1]} 晚于结束年 {match[2]}；请写成 {match[2]}-{match[1]}"
        check.report(("项目期间",), "bad-period", message)


_LEVELS = ("一级", "二级", "三级")


def _check_indicator_names(check: _Check) -> None:
    """An indicator of no name (`'': 100%`, or a name of spaces) would print as a blank cell.

    A form read by `gen import` with a half-filled row gives one.
    """
    pending: list[tuple[KeyPath, Any]] = [((INDICATORS,), check.data.get(INDICATORS))]
    while pending:
        path, tree = pending.pop()
        if not isinstance(tree, dict) or len(path) > len(_LEVELS):
            continue
        for name, below in tree.items():
            if isinstance(name, str) and not INVISIBLE.sub("", name).strip():
                level = _LEVELS[len(path) - 1]
                message = f"{level}指标的名称是空的，表上会印成空白；请填写名称，或删除这一项"
                check.report((*path, name), "empty-indicator-name", message)
            else:
                pending.append(((*path, name), below))


def _check_other_labels(check: _Check) -> None:
    """A 其他栏目 entry names the row it prints in: a label of only spaces names none."""
    entries = check.data.get(OTHERS)
    if not isinstance(entries, dict):
        return
    for label in entries:
        if not row_label(INVISIBLE.sub("", label)):
            message = "栏目名称是空的；请写表格上这一栏的名称（如 项目负责人），或删除这一行"
            check.report((OTHERS, label), "empty-other-label", message)


def _check_placeholders(check: _Check) -> None:
    """Placeholders `gen new` wrote: one “请填写 …” error per line, instead of any other finding there."""
    spots = _placeholder_spots(check.source)
    dotted = {".".join(path) for path in spots}
    check.findings = [f for f in check.findings if f.path not in dotted]
    for path, found in spots.items():
        names = "和".join(match[1] for match in found)
        shown = "".join(f"“{match[0]}”" for match in found)
        fix = "用不到的指标请删除这一行" if path[0] == INDICATORS else f"把{shown}换成实际内容"
        check.report(path, "placeholder", f"请填写{names}：{fix}")


def _placeholder_spots(source: Source) -> dict[KeyPath, list[re.Match[str]]]:
    """Key paths whose key or value still holds a placeholder, with the placeholders in order."""
    spots: dict[KeyPath, list[re.Match[str]]] = {}
    texts = [(path, path[-1]) for path in source.origins] + list(source.raw.items())
    for path, text in texts:
        found = PLACEHOLDER.search(text)
        if found:
            spots.setdefault(path, []).append(found)
    return spots


# ---------------------------------------------------------------- the normalised document


def _normalised(check: _Check) -> dict[str, Any]:
    """The normalised document (see validate): defaults filled, fields that failed left out."""
    data, ok = check.data, _passed(check.failed)
    doc = {key: data[key] for key in PLAIN_KEYS if key in data and ok((key,))}
    if check.form and ok(("表样",)):
        doc["表样"] = check.form
    if check.form != TARGET_FORM and ok(("项目性质",)) and "项目性质" in data:
        doc["项目性质"] = data["项目性质"]
    elif check.form == TARGET_FORM:
        doc["项目性质"] = None
    period = project_period(data.get("项目期间"), *(doc.get(key) for key in DATE_KEYS))
    _put(doc, "项目期间", period if ok(("项目期间",)) else None)
    for block in FUND_BLOCKS:
        _put(doc, block, _funds(block, data.get(block), check))
    _put(doc, INDICATORS, data.get(INDICATORS) if ok((INDICATORS,)) else None)
    _put(doc, OTHERS, _others(data.get(OTHERS), ok))
    _put(doc, FORMAT, _format(data.get(FORMAT), ok))
    return dict(sorted(doc.items(), key=lambda item: _KEY_ORDER[item[0]]))


_KEY_ORDER = {key: number for number, key in enumerate(_schema(None))}


def _passed(failed: set[KeyPath]) -> Callable[[KeyPath], bool]:
    """Whether nothing failed at a path, below it or above it."""
    if not failed:
        return lambda path: True
    failed_or_above = {f[:i] for f in failed for i in range(1, len(f) + 1)}

    def ok(path: KeyPath) -> bool:
        above = (path[:i] for i in range(1, len(path)))
        return path not in failed_or_above and not any(p in failed for p in above)

    return ok


def _put(doc: dict[str, Any], key: str, value: Any) -> None:
    """Set a key unless the value could not be made."""
    if value is not None:
        doc[key] = value


def project_period(written: Any, start: Any, end: Any) -> tuple[int, int] | None:
    """项目期间 as (first, last) years: as written ("2025-2026" or a pair), else the plan dates' years."""
    if isinstance(written, (tuple, list)) and len(written) == 2:
        first, last = written
        return (first, last) if isinstance(first, int) and isinstance(last, int) else None
    match = _PERIOD.fullmatch(str(written))
    if match:
        return int(match[1]), int(match[2])
    if written is None and isinstance(start, date) and isinstance(end, date):
        return start.year, end.year
    return None


def _funds(block: str, given: Any, check: _Check) -> dict[str, Any] | None:
    """One money block in Decimal; a missing total is None, other missing amounts 0."""
    if not isinstance(given, dict) or (block,) in check.failed:
        return None
    ok = _passed(check.failed)
    amounts = {key: given.get(key) for key in FUND_BLOCKS[block] if ok((block, key))}
    return {key: _amount(key, value) for key, value in amounts.items()}


def _amount(key: str, value: int | Decimal | None) -> Decimal | None:
    """An amount as Decimal; absent: None for a total (computed later), else 0."""
    if value is None:
        return None if key in FUND_TOTALS else Decimal(0)
    return Decimal(value)


def _others(given: Any, ok: Callable[[KeyPath], bool]) -> dict[str, str] | None:
    """其他栏目 by the labels as forms are compared (row_label), a blank entry as ""; None when
    there are none. A nearer file's entry replaces one of the same label."""
    if not isinstance(given, dict) or not ok((OTHERS,)):
        return None
    entries = {
        row_label(label): text or ""
        for label, text in given.items()
        if ok((OTHERS, label)) and row_label(label)
    }
    return entries or None


def _format(given: Any, ok: Callable[[KeyPath], bool]) -> dict[str, Any] | None:
    """格式 with defaults for the options not given."""
    if given is not None and not isinstance(given, dict):
        return None
    given = given or {}
    options = {key: _given_or(given.get(key), default) for key, default in FORMAT_DEFAULTS.items()}
    return {key: value for key, value in options.items() if ok((FORMAT, key))}


def _given_or(value: Any, default: Any) -> Any:
    """The value written, or the default when it is blank."""
    return default if value is None else value
