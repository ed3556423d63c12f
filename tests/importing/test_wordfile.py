"""Opening Word files: what cannot be imported is named with the reason; the good files still import."""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import SAMPLES
from handmade import (
    W_NS,
    document_xml,
    good_form,
    make_docx,
    normalised,
    para,
    same_data,
    tbl,
    tc,
    tr,
)

from gen import libreoffice
from gen.build import BuildOptions, build
from gen.cli import main
from gen.importing import wordfile
from gen.importing.importer import import_forms

posix_only = pytest.mark.skipif(sys.platform == "win32", reason="the stand-in soffice is a script")

# ---------------------------------------------------------------- bad input


def _zip(path: Path, parts: dict[str, bytes | str]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as package:
        for name, data in parts.items():
            package.writestr(name, data)
    return path


def _bad_inputs(folder: Path) -> dict[str, tuple[Path, str, str]]:
    """name → (file, code, exact message)."""
    folder.mkdir(parents=True, exist_ok=True)
    text = folder / "文字.docx"
    text.write_text("项目名称: 社工\n", encoding="utf-8")
    pdf = folder / "扫描件.docx"
    pdf.write_bytes(b"%PDF-1.7\n")
    truncated = folder / "损坏.docx"
    truncated.write_bytes(good_form(folder / "t").read_bytes()[:300])
    encrypted = folder / "加密.docx"
    encrypted.write_bytes(
        wordfile.OLE_MAGIC + b"\0" * 504 + "EncryptionInfo".encode("utf-16-le") + b"\0" * 64
    )
    xlsx = _zip(folder / "表格.docx", {"xl/workbook.xml": "<workbook/>"})
    no_form = make_docx(
        folder / "名单.docx",
        document_xml(
            para("人员名单"),
            tbl(2, tr(tc("序号"), tc("姓名")), tr(tc("1"), tc("张三"))),
            tbl(1, tr(tc("备注"))),
        ),
    )
    no_table = make_docx(
        folder / "说明.docx", document_xml(para("关于报送2026年度绩效目标的通知"), para("各单位："))
    )
    bomb = _zip(folder / "炸弹.docx", {"word/document.xml": b" " * (3 * 1024 * 1024)})
    doctype = make_docx(
        folder / "实体.docx",
        '<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        f'<w:document xmlns:w="{W_NS}"><w:body><w:p><w:r><w:t>&x;</w:t></w:r></w:p></w:body></w:document>',
    )
    broken_xml = make_docx(folder / "坏XML.docx", "<w:document")
    hint = "；请在 Word 或 WPS 中打开后另存为 .docx 再导入"
    return {
        "text": (
            text,
            "not-word",
            "不是 Word 文件：文件内容不是 Word 格式（可能只是改了扩展名）；请导入 .docx、.doc 或 .wps 文件",
        ),
        "pdf": (pdf, "not-word", "不是 Word 文件：它是 PDF 文件；请导入 .docx、.doc 或 .wps 文件"),
        "xlsx": (
            xlsx,
            "not-word",
            "不是 Word 文件：它是Excel 表格；请导入 .docx、.doc 或 .wps 文件",
        ),
        "truncated": (
            truncated,
            "corrupt",
            "文件已损坏，无法解压（不是完整的压缩包，可能只复制或下载了一部分）" + hint,
        ),
        "broken-xml": (broken_xml, "corrupt", None),
        "encrypted": (
            encrypted,
            "encrypted",
            "文件已加密（设置了打开密码）；请在 Word 或 WPS 中取消密码，另存为 .docx 后再导入",
        ),
        "no-form": (
            no_form,
            "no-form",
            "没有找到绩效目标表：找到 2 个表格，但没有“项目名称”等标签（第一个表格开头是“序号、姓名”）",
        ),
        "no-table": (
            no_table,
            "no-form",
            "没有找到绩效目标表：文件里没有表格（只有 2 段文字，开头是“关于报送2026年度绩效目标的通知”）",
        ),
        "bomb": (bomb, "too-large", None),
        "doctype": (
            doctype,
            "doctype",
            "文件里的 word/document.xml 含有 DOCTYPE / 实体声明（Word 从不写这种内容，可能是恶意文件），已拒绝读取",
        ),
    }


def test_bad_inputs_each_say_why_and_the_good_file_still_imports(tmp_path):
    cases = _bad_inputs(tmp_path / "in")
    shutil.rmtree(tmp_path / "in" / "t")
    good_form(tmp_path)
    result = import_forms([tmp_path / "in"], tmp_path / "out")
    problems = {p.file: p for p in result.problems}
    for name, (path, code, message) in cases.items():
        assert problems[path].code == code, name
        if message is not None:
            assert problems[path].message == message, name
    bomb = r"文件解压后过大（3 MB，压缩比 [0-9]+:1），疑似压缩炸弹，已拒绝读取；一份表格的文字部分解压后通常不到 1 MB，压缩比不到 30:1"
    assert re.fullmatch(bomb, problems[cases["bomb"][0]].message)
    assert re.fullmatch(
        "文件已损坏：word/document.xml 不是有效的 XML（第 [0-9]+ 行第 [0-9]+ 列附近）"
        "；请在 Word 或 WPS 中打开后另存为 .docx 再导入",
        problems[cases["broken-xml"][0]].message,
    )
    assert sorted(p.name for p in (tmp_path / "out").rglob("*")) == ["普法.yaml"]
    assert result.exit_code == 1


def test_a_named_file_that_is_not_word_is_reported(tmp_path, runner, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("说明.pdf").write_bytes(b"%PDF-1.4")
    result = runner.invoke(main, ["import", "说明.pdf"])
    assert (
        "说明.pdf: 不是 Word 文件（扩展名 .pdf）；请导入 .docx、.doc 或 .wps 文件" in result.output
    )
    assert result.exit_code == 1
    assert not Path("projects").exists()


def test_a_missing_path_is_a_usage_error(tmp_path, runner, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(main, ["import", "旧表"])
    assert result.exit_code == 2
    assert "找不到 旧表" in result.output


def test_an_oversized_part_is_refused_even_if_its_header_lies(tmp_path, monkeypatch):
    monkeypatch.setattr(wordfile, "MAX_PART", 1000)
    source = good_form(tmp_path)
    result = import_forms([source], tmp_path / "out")
    assert result.problems[0].code == "too-large"
    assert not (tmp_path / "out").exists()


def test_old_doc_without_libreoffice_names_the_package(tmp_path, monkeypatch):
    monkeypatch.setattr(libreoffice, "find_soffice", lambda: None)
    old = tmp_path / "旧.doc"
    old.write_bytes(wordfile.OLE_MAGIC + b"\0" * 1024)
    result = import_forms([old], tmp_path / "out")
    assert result.problems[0].message == (
        ".doc 文件需要 LibreOffice（soffice）转换，但没有安装；请安装 LibreOffice："
        "Debian/Ubuntu 运行 sudo apt-get install libreoffice-writer-nogui；"
        "Windows/macOS 从 https://zh-cn.libreoffice.org 下载安装；或在 Word / WPS 中另存为 .docx 再导入"
    )


def old_doc(tmp_path: Path) -> Path:
    """A .doc file (the OLE header is all gen looks at before handing it to LibreOffice)."""
    old = tmp_path / "旧.doc"
    old.write_bytes(wordfile.OLE_MAGIC + b"\0" * 1024)
    return old


def test_libreoffice_that_cannot_be_run_says_why_in_chinese(tmp_path, monkeypatch):
    program = tmp_path / "soffice"
    program.write_text("not a program", encoding="utf-8")  # and not executable
    monkeypatch.setattr(libreoffice, "find_soffice", lambda: str(program))
    result = import_forms([old_doc(tmp_path)], tmp_path / "out")
    assert result.problems[0].message == (
        "LibreOffice 转换失败（无法运行：没有读取权限）；请在 Word / WPS 中另存为 .docx 再导入"
    )


# A stand-in soffice in an install that states version 7.4: it notes each run's profile and
# whether the profile was already set up (LibreOffice makes user/config when it sets one up).
NOTES_ITS_PROFILE = """\
import sys
from pathlib import Path
from urllib.parse import unquote, urlparse
profile = Path(unquote(urlparse(sys.argv[1].split("=", 1)[1]).path))
settings = (profile / "user/registrymodifications.xcu").read_text(encoding="utf-8")
fresh = not (profile / "user/config").exists()
(profile / "user/config").mkdir(exist_ok=True)
with open(Path(sys.argv[0]).parent / "runs.txt", "a") as runs:
    runs.write(f"{profile} {'set-up' if fresh else 'kept'} {'7.4' in settings}\\n")
"""


def test_one_import_sets_up_one_profile_for_every_old_file(tmp_path, monkeypatch):
    program = tmp_path / "LibreOffice/program/soffice"
    program.parent.mkdir(parents=True)
    program.write_text(f"#!{sys.executable}\n{NOTES_ITS_PROFILE}", encoding="utf-8")
    program.chmod(0o755)
    (tmp_path / "LibreOffice/share/registry").mkdir(parents=True)
    (tmp_path / "LibreOffice/share/registry/main.xcd").write_text(
        '<prop oor:name="ooSetupVersion"><value>7.4</value></prop>', encoding="utf-8"
    )
    monkeypatch.setattr(libreoffice, "find_soffice", lambda: str(program))
    first, second = old_doc(tmp_path), tmp_path / "另一个.doc"
    second.write_bytes(first.read_bytes())
    import_forms([first, second], tmp_path / "out")
    runs = (program.parent / "runs.txt").read_text(encoding="utf-8").split()
    assert runs[1::3] == ["set-up", "kept"] and runs[2::3] == ["True", "True"]
    assert runs[0] == runs[3]  # the same profile, seeded with the version, set up once


# A stand-in soffice that starts a process of its own, as soffice starts soffice.bin, notes
# both process ids and hangs.
HANGS = """\
import os, subprocess, sys, time
from pathlib import Path
here = Path(sys.argv[0]).parent
child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
(here / "pids.partial").write_text(f"{os.getpid()} {child.pid}")
os.replace(here / "pids.partial", here / "pids")
time.sleep(60)
"""


def hanging_soffice(tmp_path: Path, monkeypatch, interrupt: bool = False) -> Path:
    """The hanging soffice as gen's LibreOffice, started once its processes are up; the file
    of their ids. With `interrupt`, Ctrl-C comes while gen waits for it."""
    program = tmp_path / "soffice"
    program.write_text(f"#!{sys.executable}\n{HANGS}", encoding="utf-8")
    program.chmod(0o755)
    monkeypatch.setattr(libreoffice, "find_soffice", lambda: str(program))
    start = libreoffice.start

    def started(command, log):
        process = start(command, log)
        while not (tmp_path / "pids").exists():
            time.sleep(0.02)
        if interrupt:
            wait = process.wait
            calls = iter([KeyboardInterrupt])

            def interrupted(timeout=None):
                if next(calls, None):
                    raise KeyboardInterrupt
                return wait(timeout)

            process.wait = interrupted
        return process

    monkeypatch.setattr(libreoffice, "start", started)
    return tmp_path / "pids"


def gone(pid: int) -> bool:
    """Whether a process has ended (a zombie nobody has reaped yet counts as ended)."""
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        with contextlib.suppress(OSError):
            if Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z":
                return True
        time.sleep(0.05)
    return False


@contextlib.contextmanager
def killed_afterwards(pids: Path) -> Iterator[None]:
    """Whatever the test finds, the stand-in's processes do not outlive it."""
    try:
        yield
    finally:
        for pid in map(int, pids.read_text().split() if pids.exists() else []):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)


@posix_only
def test_libreoffice_past_its_time_is_stopped_with_every_process_it_started(tmp_path, monkeypatch):
    pids = hanging_soffice(tmp_path, monkeypatch)
    monkeypatch.setattr(wordfile, "CONVERT_TIMEOUT", 1)
    with killed_afterwards(pids):
        result = import_forms([old_doc(tmp_path)], tmp_path / "out")
        assert result.problems[0].message == (
            "LibreOffice 转换失败（1 秒内没有转换完）；请在 Word / WPS 中另存为 .docx 再导入"
        )
        assert all(gone(int(pid)) for pid in pids.read_text().split())


@posix_only
def test_ctrl_c_stops_libreoffice_and_every_process_it_started(tmp_path, monkeypatch):
    pids = hanging_soffice(tmp_path, monkeypatch, interrupt=True)
    with killed_afterwards(pids):
        with pytest.raises(KeyboardInterrupt):
            wordfile.convert_legacy(old_doc(tmp_path), tmp_path)
        assert all(gone(int(pid)) for pid in pids.read_text().split())


@pytest.mark.skipif(
    shutil.which("soffice") is None,
    reason="LibreOffice (soffice) is not installed: apt-get install libreoffice-writer-nogui",
)
def test_old_doc_is_converted_through_libreoffice(tmp_path):
    build([SAMPLES / "司法所" / "普法.yaml"], BuildOptions(out_dir=tmp_path))
    source = tmp_path / "司法所" / "普法.docx"
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}",
            "--headless",
            "--convert-to",
            "doc",
            "--outdir",
            str(tmp_path / "old"),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    result = import_forms([tmp_path / "old"], tmp_path / "out")
    assert result.problems == []
    same_data(
        normalised(SAMPLES / "司法所" / "普法.yaml"), normalised(tmp_path / "out" / "普法.yaml")
    )
