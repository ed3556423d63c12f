"""Finding the template folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from gen.errors import UsageError
from gen.templates import find_template_dir

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "templates"


def test_explicit_template_dir_must_exist(tmp_path):
    assert find_template_dir(tmp_path) == tmp_path
    with pytest.raises(UsageError, match="模板目录 .*不存在"):
        find_template_dir(tmp_path / "没有")


def test_templates_in_the_current_directory_win(tmp_path, monkeypatch):
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "绩效目标表.docx").write_bytes(
        (TEMPLATES / "绩效目标表.docx").read_bytes()
    )
    monkeypatch.chdir(tmp_path)
    assert find_template_dir() == Path("templates")


def test_falls_back_to_the_source_checkout(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert find_template_dir().resolve() in {TEMPLATES, ROOT / "gen" / "_templates"}
