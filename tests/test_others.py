"""The 其他栏目 entries a template prints, however Word wrote their tags."""

from __future__ import annotations

import zipfile

import pytest

from gen.others import printed_entries


def _template(tmp_path, **parts: str):
    """A .docx holding these parts (document="…" is word/document.xml)."""
    path = tmp_path / "表样.docx"
    with zipfile.ZipFile(path, "w") as package:
        for name, xml in parts.items():
            package.writestr(f"word/{name}.xml", f"<w:document>{xml}</w:document>")
    return path


@pytest.mark.parametrize(
    ("xml", "entries"),
    [
        ("<w:t>{{ 其他栏目['联系电话'] | default('') }}</w:t>", ("联系电话",)),
        ("<w:t>{{ 其他栏</w:t></w:r><w:r><w:t>目[&apos;项目负责人&apos;] }}</w:t>", ("项目负责人",)),
        ('<w:sym w:char="{% if 其他栏目[&quot;项目类型&quot;] == \'新增\' %}F0FE{% endif %}"/>', ("项目类型",)),
        ("<w:t>{{ &#20854;&#20182;&#26639;&#30446;['单位代码'] }}</w:t>", ("单位代码",)),
        ("<w:t>其中：财政资金 {{ 项目名称 }}</w:t>", ()),
    ],
)  # fmt: skip
def test_an_entry_is_found_however_its_tag_is_written(tmp_path, xml, entries):
    assert printed_entries(_template(tmp_path, document=xml)) == entries


def test_entries_are_found_in_page_headers_in_order_once_each(tmp_path):
    template = _template(
        tmp_path,
        document="<w:t>{{ 其他栏目['联系人'] }}{{ 其他栏目['联系电话'] }}</w:t>",
        header1="<w:t>{{ 其他栏目['单位代码'] }}{{ 其他栏目['联系人'] }}</w:t>",
    )
    assert sorted(printed_entries(template)) == ["单位代码", "联系人", "联系电话"]


def test_a_template_that_cannot_be_read_prints_none(tmp_path):
    broken = tmp_path / "坏.docx"
    broken.write_bytes(b"not a zip")
    assert printed_entries(broken) == ()
