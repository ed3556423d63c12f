"""Writing imported values as YAML: they read back as written, quoted only where needed."""

from __future__ import annotations

from decimal import Decimal

import pytest
import yaml

from gen.importing.yamlwrite import dump, plain_is_safe


@pytest.mark.parametrize(
    "value",
    [
        "1300",
        "0.50",
        "=100.00(百分比)",
        "是",
        "否",
        "no",
        "yes",
        "on",
        "Off",
        "null",
        "~",
        "2026-01-01",
        "2026-1-1",
        "#1",
        "a: b",
        "- x",
        "@home",
        "'quoted'",
        "%",
        "*",
        "&a",
        "[1]",
        "{a}",
        " lead",
        "100%",
        "≥90%",
        "提升",
        "3,082.53",
        "1e3",
        ".5",
        "0x1F",
        "a # b",
        "tab\there",
        "line\r",
    ],
)
def test_yaml_values_read_back_as_written(value):
    text = dump({"项目名称": value, "绩效指标": {"产出指标": {"数量指标": [(value, value)]}}})
    data = yaml.safe_load(text)
    assert data["项目名称"] == value
    assert data["绩效指标"]["产出指标"]["数量指标"] == {value: value}


def test_yaml_quotes_only_what_needs_it():
    assert plain_is_safe("≥90%") and plain_is_safe("社工") and plain_is_safe("100%")
    assert not any(plain_is_safe(v) for v in ("1300", "是", "no", "=100.00(百分比)", "2026-1-1"))
    assert (
        dump({"a": "1300", "b": Decimal("87.90"), "c": "x\ny"})
        == "a: '1300'\nb: 87.90\nc: |\n  x\n  y\n"
    )
