"""The project format as a JSON Schema (draft 2020-12) for editors, derived from the cerberus schema."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from gen import output
from gen.authoring.fields import (
    LEVEL1_HELP,
    LEVEL2_HELP,
    LEVEL3_HELP,
    TITLES,
    category_help,
    help_for,
    indicator_help,
)
from gen.schema import TEXT_KEYS, project_schema
from gen.vocabulary import (
    APPLICATION_FORM,
    CATEGORY_VALUES,
    FORMAT,
    FRAMEWORK,
    INDICATORS,
    OTHERS,
    TARGET_FORM,
)

DRAFT = "https://json-schema.org/draft/2020-12/schema"
SCHEMA_FILE = "schema/project.schema.json"
# gen reads these as the text written even when YAML sees a number or true/false (项目名称: 2026).
_TEXT_TYPES = ["string", "number", "boolean"]
_TYPES: dict[str, Any] = {
    "whole": "integer",
    "amount": "number",
    "boolean": "boolean",
    "dict": "object",
    "string": "string",
}
_DATE = {"type": "string", "pattern": r"^[0-9]{4}-(0?[1-9]|1[0-2])-(0?[1-9]|[12][0-9]|3[01])$"}
# 日期格式: the year, month and day named, and no Latin letters but YYYY, M/MM and D/DD
# (gen check also refuses a part written twice, which a pattern cannot say simply)
_DATE_PATTERN = "^(?=.*YYYY)(?=.*M)(?=.*D)(?:[^A-Za-z]|YYYY(?!Y)|MM?(?!M)|DD?(?!D))*$"


def project_json_schema() -> dict[str, Any]:
    """The JSON Schema of one project file (or _defaults.yaml: nothing is required at the top)."""
    schema = {
        "$schema": DRAFT,
        "title": "财政项目支出绩效目标表 项目文件",
        "description": "gen 的项目文件（docs/FORMAT.md）。必填项可以写在上级文件夹的 _defaults.yaml 里，"
        "所以这里不标必填；缺项、金额合计等由 gen check 检查。",
        **_mapping(project_schema(None), (), top=True),
        "allOf": [_form_rules(APPLICATION_FORM), _form_rules(TARGET_FORM)],
        "$defs": {"三级指标": _level3()},
    }
    return schema


def schema_text() -> str:
    """The schema as written to schema/project.schema.json."""
    return json.dumps(project_json_schema(), ensure_ascii=False, indent=2) + "\n"


def write_schema(path: Path) -> None:
    """Write the schema to a file (schema/project.schema.json in this repository)."""
    output.write_named(path, schema_text().encode("utf-8"))


def _mapping(rules: dict[str, Any], path: tuple[str, ...], top: bool = False) -> dict[str, Any]:
    """A cerberus mapping schema as an object with its properties and nothing else."""
    properties = {key: _field(rule, (*path, key)) for key, rule in rules.items()}
    required = [] if top else [key for key, rule in rules.items() if rule.get("required")]
    result: dict[str, Any] = {
        "type": "object",
        "properties": properties,
        "additionalProperties": False,
    }
    return {**result, **({"required": required} if required else {})}


def _field(rule: dict[str, Any], path: tuple[str, ...]) -> dict[str, Any]:
    """One cerberus field rule as a JSON Schema, with its Chinese title and description."""
    key = path[-1]
    result = {"title": TITLES[key], "description": _description(key), **_shape(rule, path)}
    if "allowed" in rule:
        result["enum"] = list(rule["allowed"]) + _numeric_twins(rule["allowed"], path)
    for bound, name in (("min", "minimum"), ("max", "maximum")):
        if bound in rule:
            result[name] = rule[bound]
    if "regex" in rule:
        result["pattern"] = f"^{rule['regex']}$"
    if rule.get("nullable"):
        result = _nullable(result)
    return result


def _description(key: str) -> str:
    """The note on a key; 项目类别 lists both forms' values."""
    return category_help(None) if key == "项目类别" else help_for(key)


def _shape(rule: dict[str, Any], path: tuple[str, ...]) -> dict[str, Any]:
    """Type, nesting and emptiness of one field."""
    kind = rule["type"]
    if kind == "day":
        return dict(_DATE)
    if path == (INDICATORS,):
        return _indicators()
    if path == (OTHERS,):
        return _others()
    if kind == "dict":
        return _mapping(rule["schema"], path)
    if path == (FORMAT, "日期格式"):
        return {"type": "string", "pattern": _DATE_PATTERN}
    if "regex" in rule or ("allowed" in rule and path[-1] != "零值"):
        return {"type": "string"}  # a number could never match the pattern or be a choice
    if (len(path) == 1 and path[0] in TEXT_KEYS) or path[-1] == "零值":
        return {"type": list(_TEXT_TYPES), "minLength": 1}
    shape: dict[str, Any] = {"type": _TYPES[kind]}
    if kind == "amount":
        shape["examples"] = [0, 87.9]
    return shape


def _numeric_twins(allowed: tuple[str, ...], path: tuple[str, ...]) -> list[Any]:
    """零值: 0 written without quotes is a number in YAML, and gen takes it as "0"."""
    return [int(value) for value in allowed if value.isdigit()] if path[-1] == "零值" else []


def _nullable(schema: dict[str, Any]) -> dict[str, Any]:
    """A field that may be left blank (`key:` with nothing after it)."""
    kinds = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
    result = {**schema, "type": [*kinds, "null"]}
    if "enum" in result:
        result["enum"] = [*result["enum"], None]
    return result


# ---------------------------------------------------------------- 绩效指标 and the two forms


_LEVEL3 = {"$ref": "#/$defs/三级指标"}


def _level3() -> dict[str, Any]:
    """三级指标: 指标值 — any names, a non-empty value."""
    value = {
        "title": "指标值",
        "description": "文字或数字，按填写原样打印，例如 118人、≥90%、提升",
        "type": list(_TEXT_TYPES),
        "minLength": 1,
    }
    return {
        "type": "object",
        "minProperties": 1,
        "propertyNames": _NAMED,
        "additionalProperties": value,
    }


_NAMED = {"pattern": "[^\\s\u200b\u2060\ufeff]"}  # an indicator's name: not empty, not only spaces


def _indicators() -> dict[str, Any]:
    """一级 → 二级 → 三级: 指标值; the standard names are offered, other names still allowed."""
    return {
        "type": "object",
        "minProperties": 1,
        "propertyNames": _NAMED,
        "properties": {l1: _level1(l1) for l1 in FRAMEWORK},
        "additionalProperties": _level1(None),
        "examples": [{"产出指标": {"数量指标": {"社工数量": "118人"}}}],
    }


def _level1(name: str | None) -> dict[str, Any]:
    """One 一级指标: a standard one offers its 二级 names; any other name is allowed too."""
    level2s = FRAMEWORK.get(name or "", ())
    properties = {
        l2: {**_LEVEL3, "title": l2, "description": f"{indicator_help(l2, 2)}；{LEVEL3_HELP}"}
        for l2 in level2s
    }
    result: dict[str, Any] = {"title": name} if name else {}
    result["description"] = indicator_help(name, 1) if name else LEVEL1_HELP
    result.update(type="object", minProperties=1, propertyNames=_NAMED)
    if properties:
        result["properties"] = properties
    result["additionalProperties"] = {**_LEVEL3, "description": f"{LEVEL2_HELP}；{LEVEL3_HELP}"}
    return result


def _others() -> dict[str, Any]:
    """其他栏目: any row label (not empty) → the text it prints, or nothing."""
    text = {
        "description": "这一栏印的文字，按填写原样打印（电话号码等数字也一样）；空着时印空白",
        "type": [*_TEXT_TYPES, "null"],
    }
    return {
        "type": "object",
        "propertyNames": _NAMED,
        "additionalProperties": text,
        "examples": [{"项目负责人": "张三", "联系电话": "021-64110000"}],
    }


def _form_rules(form: str) -> dict[str, Any]:
    """What 表样 decides: the 项目类别 values, and whether 项目性质 exists."""
    then: dict[str, Any] = {"properties": {"项目类别": {"enum": list(CATEGORY_VALUES[form])}}}
    if form == TARGET_FORM:
        then["properties"]["项目性质"] = False  # the 绩效目标表 has no such cell
    return {
        "if": {"properties": {"表样": {"const": form}}, "required": ["表样"]},
        "then": then,
    }
