"""gen import on hostile and unusual input: file names, symbol codes, huge numbers, zip headers, books."""

from __future__ import annotations

import os
import struct
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import yaml
from conftest import SAMPLES, unlistable
from handmade import (
    TICKED,
    TITLE,
    declaration_form,
    document_xml,
    good_form,
    imported,
    make_docx,
    money_rows,
    para,
    sym,
    target_docx,
    target_form_with,
)

from gen.build import BuildOptions, build, check
from gen.cli import main
from gen.errors import GenError
from gen.importing import wordfile
from gen.importing.importer import MAX_NAME_BYTES, import_forms, safe_name
from gen.importing.template import make_template
from gen.load import find_project_files

# ---------------------------------------------------------------- file names


@pytest.mark.parametrize(
    ("name", "safe"),
    [
        ("社工", "社工"),
        ("_defaults", "＿defaults"),
        ("__社工", "＿＿社工"),
        ("../../逃逸", "＿.._逃逸"),
        ("劝导队/经费", "劝导队_经费"),
        ('a\\b:c*d?e"f<g>h|i', "a_b_c_d_e_f_g_h_i"),
        ("CON", "CON_"),
        ("nul.txt", "nul_.txt"),
        ("Com1", "Com1_"),
        ("CONSOLE", "CONSOLE"),
        ("社工. . ", "社工"),
        ("  .社工", "社工"),
        ("社\x00工\x1b", "社_工_"),
        ("社\ud800工", "社_工"),
        ("...", ""),
    ],
)
def test_safe_names(name, safe):
    assert safe_name(name) == safe


def test_a_long_name_is_cut_with_a_stable_hash_of_the_whole_name():
    long = "浦江镇" * 40  # 120 characters, 360 bytes
    other = long + "二期"
    short = safe_name(long)
    assert len(short.encode("utf-8")) <= MAX_NAME_BYTES
    assert short.startswith("浦江镇浦江镇") and short[-9] == "-"
    assert safe_name(long) == short and safe_name(other) != short


def test_hostile_project_names_become_projects_inside_the_output(tmp_path):
    names = ["_defaults", "../../逃逸", "CON", "社区" * 60, "劝导队\\经费"]
    forms = [declaration_form(name, "2026.1.1", "2026.12.31") for name in names]
    xml = document_xml(para("财政项目支出绩效目标申报表"), para("（2026年度）"), *forms)
    result = import_forms([make_docx(tmp_path / "in" / "信访办.docx", xml)], tmp_path / "out")
    assert result.problems == []
    written = sorted(form.target for form in result.written)
    assert all(path.parent == tmp_path / "out" for path in written)
    assert find_project_files([tmp_path / "out"]) == written
    assert {imported(path)["项目名称"] for path in written} == set(names)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in", "out"]


def test_a_word_file_named_like_defaults_is_imported_as_a_project(tmp_path):
    source = target_docx(tmp_path / "_defaults.docx")
    result = import_forms([source], tmp_path / "out")
    assert [f.target.name for f in result.written] == ["＿defaults.yaml"]
    assert not (tmp_path / "out" / "_defaults.yaml").exists()


def test_a_source_folder_named_with_an_underscore_is_still_read_by_gen(tmp_path):
    target_docx(tmp_path / "in" / "_旧" / "普法.docx")
    result = import_forms([tmp_path / "in"], tmp_path / "out")
    assert [f.target for f in result.written] == [tmp_path / "out" / "＿旧" / "普法.yaml"]
    assert find_project_files([tmp_path / "out"]) == [tmp_path / "out" / "＿旧" / "普法.yaml"]


# ---------------------------------------------------------------- cell contents


@pytest.mark.parametrize("code", ["D800", "DFFF", "FFFFFFFF", "0007", "FFFE"])
def test_a_symbol_code_that_is_no_character_is_left_out(tmp_path, code):
    xml = document_xml(*TITLE, target_form_with(TICKED, name="普法"))
    xml = xml.replace(">普法<", f">普</w:t></w:r>{sym(code, 'Symbol')}<w:r><w:t>法<", 1)
    result = import_forms([make_docx(tmp_path / "普法.docx", xml)], tmp_path / "out")
    assert result.problems == []
    text = (tmp_path / "out" / "普法.yaml").read_text(encoding="utf-8")
    assert yaml.safe_load(text)["项目名称"] == "普法"


def test_an_amount_of_five_thousand_digits_is_kept_as_text_and_reported(
    tmp_path, runner, monkeypatch
):
    digits = "9" * 5000
    money = money_rows(digits, "10", "10", "10")
    make_docx(
        tmp_path / "in" / "普法.docx", document_xml(*TITLE, target_form_with(TICKED, money=money))
    )
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(main, ["import", "in", "-o", "out"])
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    assert imported(tmp_path / "out" / "普法.yaml")["项目资金"]["项目资金总额"] == digits
    assert any(
        line.startswith("out/普法.yaml:11: 项目资金.项目资金总额: ")
        for line in result.output.splitlines()
    ), result.output
    assert result.output.splitlines()[-1].endswith("检查：错误 1 条，警告 0 条")


# ---------------------------------------------------------------- the check after an import


def test_the_check_compares_the_new_files_with_the_folders_other_projects(
    tmp_path, runner, monkeypatch
):
    monkeypatch.chdir(tmp_path)
    assert import_forms([good_form(tmp_path)], Path("projects")).problems == []
    (tmp_path / "in" / "普法.docx").rename(tmp_path / "in" / "普法二期.docx")
    result = runner.invoke(main, ["import", "in/普法二期.docx", "-o", "projects"])
    lines = result.output.splitlines()
    assert "in/普法二期.docx → projects/普法二期.yaml" in lines
    copies = [line for line in lines if ": 警告: " in line]
    assert copies and all(line.startswith("projects/普法二期.yaml:") for line in copies)
    assert any("projects/普法.yaml" in line for line in copies)
    assert check([Path("projects")]).findings  # gen check finds the same
    assert lines[-1].startswith(
        "已导入 1 个表格，无法导入的文件 0 个，未覆盖 0 个，导入警告 0 条；检查：错误 0 条，警告 "
    )


# ---------------------------------------------------------------- gen import output/


def test_a_book_found_in_a_folder_is_skipped_and_named(tmp_path, runner, monkeypatch):
    monkeypatch.chdir(tmp_path)
    build([SAMPLES / "信访办"], BuildOptions(out_dir=Path("output")))
    from gen.delivery.book import write_book

    write_book(sorted(Path("output").rglob("*.docx")), Path("output/全部表格.docx"))
    result = runner.invoke(main, ["import", "output", "-o", "projects"])
    assert result.exit_code == 0, result.output
    assert (
        "output/全部表格.docx: 警告: 这是 gen 生成的合订本（2 张表），其中每张表都另有单独的表格文件，"
        "所以没有再导入；确实要导入它时，请在命令里单独写出这个文件"
    ) in result.output.splitlines()
    assert sorted(p.name for p in Path("projects/信访办").iterdir()) == [
        "信访代理员经费.yaml",
        "劝导队经费.yaml",
    ]
    assert result.output.splitlines()[-1] == (
        "已导入 2 个表格，无法导入的文件 0 个，未覆盖 0 个，跳过合订本 1 个，导入警告 1 条；检查：错误 0 条，警告 0 条"
    )
    named = runner.invoke(main, ["import", "output/全部表格.docx", "-o", "book"])
    assert named.exit_code == 0, named.output
    assert sorted(p.name for p in Path("book").iterdir()) == [
        "信访代理员经费.yaml",
        "劝导队经费.yaml",
    ]


def test_a_file_without_o_whose_project_is_in_a_subfolder(tmp_path, runner, monkeypatch):
    monkeypatch.chdir(tmp_path)
    good_form(tmp_path)
    import_forms([Path("in")], Path("projects") / "司法所")
    mine = Path("projects/司法所/普法.yaml").read_bytes()
    result = runner.invoke(main, ["import", "in/普法.docx"])
    assert result.exit_code == 1
    assert result.output.splitlines()[0] == (
        "projects/普法.yaml: projects/司法所/普法.yaml 已有同名项目，没有另写 projects/普法.yaml；"
        "要用导入的内容更新它，请运行 gen import in/普法.docx -o projects/司法所 --force；"
        "确实要另存一份时，请用 -o 指定输出文件夹"
    )
    assert not Path("projects/普法.yaml").exists()
    assert Path("projects/司法所/普法.yaml").read_bytes() == mine
    assert runner.invoke(main, ["import", "in/普法.docx", "-o", "projects"]).exit_code == 0
    assert Path("projects/普法.yaml").exists()


# ---------------------------------------------------------------- zip limits


def patched(path: Path, source: Path, local: int, central: int, fmt: str, value: int) -> Path:
    """A copy of the form `source` with one field of document.xml's two headers changed."""
    with zipfile.ZipFile(source) as package:
        header = package.getinfo("word/document.xml").header_offset
    data = bytearray(source.read_bytes())
    name = b"word/document.xml"
    entry = data.index(b"PK\x01\x02")
    while data[entry + 46 : entry + 46 + len(name)] != name:
        entry = data.index(b"PK\x01\x02", entry + 4)
    struct.pack_into(fmt, data, header + local, value)
    struct.pack_into(fmt, data, entry + central, value)
    path.write_bytes(bytes(data))
    return path


def forged(path: Path, size: int) -> Path:
    """A .docx whose headers declare document.xml `size` bytes unpacked (the data is small)."""
    return patched(path, good_form(path.parent / "src"), 22, 24, "<L", size)


def test_a_zip_bomb_is_refused_from_its_headers_without_unpacking(tmp_path, monkeypatch):
    bomb = forged(tmp_path / "炸弹.docx", 2 * 1024**3 - 1)
    opened: list[str] = []
    original = zipfile.ZipFile.open

    def spy(self, name, *args, **kwargs):
        opened.append(name if isinstance(name, str) else name.filename)
        return original(self, name, *args, **kwargs)

    monkeypatch.setattr(zipfile.ZipFile, "open", spy)
    result = import_forms([bomb], tmp_path / "out")
    assert [p.code for p in result.problems] == ["too-large"]
    assert result.problems[0].message.startswith(
        "文件解压后过大（2048 MB），疑似压缩炸弹，已拒绝读取"
    )
    assert "word/document.xml" not in opened
    with pytest.raises(GenError, match="2048 MB"):
        make_template(bomb, tmp_path / "t")
    assert not (tmp_path / "t").exists()


def test_a_32_mb_form_with_a_large_picture_imports_and_makes_a_template(tmp_path):
    source = good_form(tmp_path)
    picture = b"BM" + b"\xff" * (32 * 1024 * 1024)  # a white bitmap packs 1,000:1
    with zipfile.ZipFile(source, "a", zipfile.ZIP_DEFLATED) as package:
        package.writestr("word/media/image1.bmp", picture)
    result = import_forms([source], tmp_path / "out")
    assert result.problems == []
    made = make_template(source, tmp_path / "t")
    with zipfile.ZipFile(made.path) as template:
        assert template.read("word/media/image1.bmp") == picture


def test_a_file_larger_than_word_writes_is_refused_unread(tmp_path, monkeypatch):
    monkeypatch.setattr(wordfile, "MAX_FILE", 1000)
    result = import_forms([good_form(tmp_path)], tmp_path / "out")
    assert result.problems[0].code == "too-large"
    assert result.problems[0].message.startswith("文件有 0 MB，超过 Word 能保存的 512 MB")


def test_a_package_of_too_many_parts_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(wordfile, "MAX_ENTRIES", 5)
    result = import_forms([good_form(tmp_path)], tmp_path / "out")
    assert result.problems[0].message.endswith("个部件，远多于 Word 文档会有的，已拒绝读取")


def test_damaged_and_unusual_archives_are_named_and_the_others_import(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    source = good_form(tmp_path / "src")
    method = patched(folder / "deflate64.docx", source, 8, 10, "<H", 9)  # zipfile lacks it
    password = patched(folder / "密码.docx", source, 6, 8, "<H", 1)  # the zip's own password
    flipped = bytearray(source.read_bytes())
    with zipfile.ZipFile(source) as package:
        info = package.getinfo("word/document.xml")
    start = info.header_offset + 30 + len(info.filename) + len(info.extra)
    flipped[start : start + 40] = bytes(40)
    (folder / "坏数据.docx").write_bytes(bytes(flipped))
    good_form(tmp_path)
    result = import_forms([folder], tmp_path / "out")
    problems = {p.file.name: p for p in result.problems}
    assert problems[method.name].message == (
        "文件已损坏，无法解压（用了 gen 读不了的压缩方式）；"
        "请在 Word 或 WPS 中打开后另存为 .docx 再导入"
    )
    assert problems[password.name].code == "encrypted"
    assert problems["坏数据.docx"].code == "corrupt"
    assert problems["坏数据.docx"].message == (
        "文件已损坏，无法解压（压缩的数据有误，校验不符）；请在 Word 或 WPS 中打开后另存为 .docx 再导入"
    )
    assert [f.target.name for f in result.written] == ["普法.yaml"]


def test_a_failure_no_check_foresaw_is_that_files_message(tmp_path, monkeypatch):
    from gen.importing import importer

    good_form(tmp_path)
    target_docx(tmp_path / "in" / "坏.docx", name="坏")
    real = importer.read_forms

    def failing(root, pages=()):
        forms = real(root, pages)
        if forms[0].text("项目名称") == "坏":
            raise RecursionError("maximum recursion depth exceeded")
        return forms

    monkeypatch.setattr(importer, "read_forms", failing)
    result = import_forms([tmp_path / "in"], tmp_path / "out")
    assert [(p.file.name, p.message) for p in result.problems] == [
        (
            "坏.docx",
            "读取这个文件时出错（RecursionError: maximum recursion depth exceeded）；请在 Word 或 WPS "
            "中打开后另存为 .docx 再试；仍然出错时，请把这个文件交给维护 gen 的同事",
        )
    ]
    assert [f.target.name for f in result.written] == ["普法.yaml"]


def test_a_folder_that_cannot_be_read_is_named_and_the_others_import(tmp_path, monkeypatch):
    good_form(tmp_path)
    target_docx(tmp_path / "in" / "平安办" / "安保.docx", name="安保")
    unlistable(monkeypatch, "平安办")
    result = import_forms([tmp_path / "in"], tmp_path / "out")
    assert [(p.file, p.code) for p in result.problems] == [
        (tmp_path / "in" / "平安办", "unreadable-folder")
    ]
    assert [f.target.name for f in result.written] == ["普法.yaml"]
    assert result.exit_code == 1
    with pytest.raises(GenError) as caught:  # nothing else to import: the folder is the message
        import_forms([tmp_path / "in" / "平安办"], tmp_path / "out2")
    assert caught.value.message == (
        f"{(tmp_path / 'in' / '平安办').as_posix()}: "
        "无法打开这个文件夹（没有读取权限）；其中的文件没有检查，请检查文件夹的权限"
    )


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are a POSIX thing")
def test_a_pipe_named_on_the_command_line_is_refused_not_read(tmp_path):
    os.mkfifo(tmp_path / "管道.docx")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "gen",
            "import",
            str(tmp_path / "管道.docx"),
            "-o",
            str(tmp_path / "out"),
        ],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
    )
    assert result.returncode == 2
    assert result.stderr == (
        f"错误：{(tmp_path / '管道.docx').as_posix()}: 这不是普通文件（是管道、设备等特殊文件）；gen 只读取普通文件\n"
    )


def _the_problem(tmp_path: Path, table: str) -> str:
    """The one problem importing a document of the title and `table` reports."""
    source = make_docx(tmp_path / "in" / "表.docx", document_xml(*TITLE, table))
    (problem,) = import_forms([source], tmp_path / "out").problems
    return problem.message


@pytest.mark.parametrize(
    "between", [para(""), para("") + para("绩效指标")], ids=["empty", "heading"]
)
def test_a_form_split_into_two_tables_imports_as_the_whole_form(tmp_path, between):
    # a paragraph typed between the indicator rows and the rest splits Word's table in two
    whole = target_form_with(TICKED)
    at = whole.rindex("<w:tr>", 0, whole.index("绩效指标"))  # the start of the 绩效指标 row
    grid = whole[len("<w:tbl>") : whole.index("</w:tblGrid>") + len("</w:tblGrid>")]
    split = whole[:at] + "</w:tbl>" + between + "<w:tbl>" + grid + whole[at:]
    for name, table in (("整表", whole), ("分开", split)):
        source = make_docx(tmp_path / name / "表.docx", document_xml(*TITLE, table))
        report = import_forms([source], tmp_path / name / "out")
        assert report.problems == [] and report.notes == []
    assert imported(tmp_path / "分开" / "out" / "表.yaml") == imported(
        tmp_path / "整表" / "out" / "表.yaml"
    )


def test_a_form_inside_another_tables_cell_is_told_so(tmp_path):
    inner = target_form_with(TICKED)
    outer = f"<w:tbl><w:tr><w:tc>{inner}<w:p/></w:tc></w:tr></w:tbl>"
    assert _the_problem(tmp_path, outer) == (
        "没有找到绩效目标表：表格在另一个表格的格子里（嵌套的表格），gen 不读这样的表格；"
        "请在 Word 中把它移到格子外面（剪切后粘贴到正文里）再导入"
    )
