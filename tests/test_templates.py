"""Finding the template folder."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import SAMPLES
from docx_grid import docx_paragraphs
from test_render import copy_template

from gen.cli import main
from gen.errors import UsageError
from gen.templates import INSTALLED, find_template_dir, installed_notes, template_file

ROOT = Path(__file__).resolve().parent.parent
# the installed 申报表 template, as the notes name it
INSTALLED_APPLICATION = template_file(Path("没有模板"), "绩效目标申报表")
TEMPLATES = ROOT / "templates"


def test_explicit_template_dir_must_exist(tmp_path):
    assert find_template_dir(tmp_path) == tmp_path
    with pytest.raises(UsageError) as missing:
        find_template_dir(tmp_path / "没有")
    assert (
        missing.value.message
        == f"模板目录 {(tmp_path / '没有').as_posix()} 不存在；请检查 --templates 参数"
    )
    (tmp_path / "a.yaml").write_text("", encoding="utf-8")
    with pytest.raises(UsageError) as a_file:
        find_template_dir(tmp_path / "a.yaml")
    assert a_file.value.message == (
        f"模板目录 {(tmp_path / 'a.yaml').as_posix()} 是一个文件，不是文件夹；请检查 --templates 参数"
    )


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


def test_a_form_the_folder_lacks_comes_from_the_installed_copy(tmp_path):
    copy_template(tmp_path, "绩效目标表", "财政项目支出绩效目标表", "本区绩效目标表")
    assert template_file(tmp_path, "绩效目标表") == tmp_path / "绩效目标表.docx"
    installed = template_file(tmp_path, "绩效目标申报表")
    assert installed.parent in INSTALLED and installed.name == "绩效目标申报表.docx"
    assert installed_notes(tmp_path, {"绩效目标表": 3}) == []
    assert installed_notes(tmp_path, {"绩效目标表": 3, "绩效目标申报表": 2}) == [
        f"提示：{tmp_path} 里没有 绩效目标申报表.docx，这种表样的 2 张表格"
        f"按随 gen 安装的模板 {installed} 生成"
    ]


@pytest.mark.parametrize("given", [False, True], ids=["./templates", "--templates"])
def test_a_build_with_one_forms_template_says_which_forms_used_the_installed_one(
    tmp_path, monkeypatch, runner, given
):
    (tmp_path / "templates").mkdir()
    copy_template(tmp_path / "templates", "绩效目标表", "财政项目支出绩效目标表", "本区绩效目标表")
    shutil.copytree(SAMPLES, tmp_path / "projects")
    monkeypatch.chdir(tmp_path)
    built = runner.invoke(main, ["build", *(["--templates", "templates"] if given else [])])
    assert built.exit_code == 0, built.output
    assert built.stderr.splitlines()[0] == (
        "提示：templates 里没有 绩效目标申报表.docx，这种表样的 2 张表格"
        f"按随 gen 安装的模板 {INSTALLED_APPLICATION} 生成"
    )
    output = tmp_path / "output"
    assert (
        docx_paragraphs((output / "平安办" / "安保经费.docx").read_bytes())[0] == "本区绩效目标表"
    )
    first = docx_paragraphs((output / "信访办" / "劝导队经费.docx").read_bytes())[0]
    assert first == "财政项目支出绩效目标申报表"
    again = runner.invoke(main, ["build"])  # nothing rebuilt: those forms are still as they were
    assert again.stderr.splitlines()[0] == built.stderr.splitlines()[0]
    assert "未变 33 个" in again.stderr


def test_a_folder_without_either_template_names_its_own_path_as_missing(tmp_path, monkeypatch):
    monkeypatch.setattr("gen.templates.INSTALLED", (tmp_path / "没有",))
    assert template_file(tmp_path, "绩效目标表") == tmp_path / "绩效目标表.docx"


def test_the_note_stands_when_the_installed_templates_forms_were_unchanged(
    tmp_path, monkeypatch, runner
):
    # the forms were built with the installed templates; then a folder with only one is tried
    shutil.copytree(SAMPLES, tmp_path / "projects")
    monkeypatch.chdir(tmp_path)
    assert runner.invoke(main, ["build"]).exit_code == 0
    (tmp_path / "mine").mkdir()
    copy_template(tmp_path / "mine", "绩效目标表", "财政项目支出绩效目标表", "本区绩效目标表")
    built = runner.invoke(main, ["build", "--templates", "mine"])
    assert built.exit_code == 0, built.output
    assert built.stderr.splitlines() == [
        "提示：mine 里没有 绩效目标申报表.docx，这种表样的 2 张表格"
        f"按随 gen 安装的模板 {INSTALLED_APPLICATION} 生成",
        built.stderr.splitlines()[1],
    ]
    assert "已生成 31 个" in built.stderr and "未变 2 个" in built.stderr
