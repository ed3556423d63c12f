"""PDFs beside the forms: one LibreOffice run per batch, own profile, timeouts, missing soffice."""

from __future__ import annotations

import os
import shutil
import sys
import time
from pathlib import Path

import pytest
from conftest import GOOD_PROJECT, good_project
from pypdf import PdfReader

from gen import libreoffice
from gen.build import BuildOptions, build
from gen.cli import main
from gen.delivery import pdf
from gen.delivery.deliver import deliver

needs_soffice = pytest.mark.skipif(
    shutil.which("soffice") is None,
    reason="LibreOffice (soffice) is not installed: apt-get install libreoffice-writer-nogui",
)
posix_only = pytest.mark.skipif(sys.platform == "win32", reason="the fake soffice is a script")


def pdf_text(path: Path) -> str:
    """All text of a PDF, without the spaces a PDF puts between glyphs."""
    return "".join(page.extract_text() for page in PdfReader(path).pages).replace(" ", "")


def fake_soffice(tmp_path: Path, body: str) -> str:
    """A stand-in soffice: a Python script given the real command line in `argv`."""
    script = tmp_path / "fake-soffice"
    script.write_text(
        f"#!{sys.executable}\nimport sys, time\nfrom pathlib import Path\n"
        "argv = sys.argv[1:]\nout = Path(argv[argv.index('--outdir') + 1])\n"
        "inputs = [Path(a) for a in argv if a.endswith('.docx')]\n" + body,
        encoding="utf-8",
    )
    script.chmod(0o755)
    return str(script)


WRITES_PDFS = """\
Path(out.parent.parent / "calls.txt").write_text(" ".join(argv))
for docx in inputs:
    (out / (docx.stem + ".pdf")).write_bytes(b"%PDF-1.4 " + docx.read_bytes()[:4] + b"\\n%%EOF\\n")
"""


@needs_soffice
def test_each_form_gets_a_pdf_with_its_name_and_amounts(runner, in_tmp, write):
    write("projects/a.yaml", GOOD_PROJECT)
    write("projects/乙/b.yaml", good_project("乙项目").replace("3082.53", "87.90"))
    result = runner.invoke(main, ["build", "projects", "--pdf"])
    assert result.exit_code == 0, result.output
    assert "PDF：已生成 2 个" in result.stderr
    first, second = in_tmp / "output/a.pdf", in_tmp / "output/乙/b.pdf"
    assert len(PdfReader(first).pages) == 1
    assert len(PdfReader(second).pages) == 1
    assert "社工" in pdf_text(first) and "3082.53" in pdf_text(first)
    assert "乙项目" in pdf_text(second) and "87.90" in pdf_text(second)
    assert not list(in_tmp.rglob(".~gen-*"))


@needs_soffice
def test_a_broken_docx_fails_alone(tmp_path, write):
    write("projects/a.yaml", good_project("甲"))
    write("projects/c.yaml", good_project("丙"))
    out = tmp_path / "out"
    build([tmp_path / "projects"], BuildOptions(out_dir=out))
    broken = out / "b.docx"
    data = (out / "a.docx").read_bytes()
    broken.write_bytes(data[: len(data) // 2])  # a zip cut in half
    files = [out / "a.docx", broken, out / "c.docx"]
    result = pdf.convert([(f, f.with_suffix(".pdf")) for f in files])
    assert result.written == [out / "a.pdf", out / "c.pdf"]
    assert list(result.failed) == [broken]
    assert "未能把它转换为 PDF" in result.failed[broken]
    assert not (out / "b.pdf").exists()


def test_missing_soffice_says_what_to_install_and_still_builds(runner, in_tmp, write, monkeypatch):
    monkeypatch.setattr(libreoffice.shutil, "which", lambda name: None)
    monkeypatch.setattr(libreoffice, "_install_places", lambda: [])
    write("projects/a.yaml", GOOD_PROJECT)
    result = runner.invoke(main, ["build", "projects", "--pdf"])
    assert result.exit_code == 1
    assert "错误：找不到 LibreOffice（soffice），无法生成 PDF" in result.stderr
    assert "apt-get install libreoffice-writer-nogui" in result.stderr
    assert "Windows/macOS" in result.stderr and "（.docx 表格已生成）" in result.stderr
    assert (in_tmp / "output/a.docx").is_file()
    assert not (in_tmp / "output/a.pdf").exists()


@posix_only
def test_one_soffice_run_converts_the_batch(tmp_path, monkeypatch):
    for folder in ("x", "y"):  # the same file name in two folders must not clash
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "表.docx").write_bytes(folder.encode() * 4)
    files = [tmp_path / "x/表.docx", tmp_path / "y/表.docx"]
    soffice = fake_soffice(tmp_path, WRITES_PDFS)
    runs: list[list[str]] = []
    start = pdf._start
    monkeypatch.setattr(
        pdf, "_start", lambda command, log: runs.append(command) or start(command, log)
    )
    result = pdf.convert([(f, f.with_suffix(".pdf")) for f in files], soffice=soffice)
    assert len(runs) == 1 and runs[0][0] == soffice
    assert runs[0][-2:] == [str(Path(runs[0][-1]).parent / "00000.docx"), runs[0][-1]]
    assert result.written == [tmp_path / "x/表.pdf", tmp_path / "y/表.pdf"]
    assert (tmp_path / "x/表.pdf").read_bytes().startswith(b"%PDF-1.4 xxxx")
    assert (tmp_path / "y/表.pdf").read_bytes().startswith(b"%PDF-1.4 yyyy")


def test_the_command_line_has_its_own_profile_and_no_window(tmp_path):
    command = pdf.soffice_command("soffice", tmp_path, [tmp_path / "in/00000.docx"])
    assert command[1] == f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}"
    assert command[1].startswith("-env:UserInstallation=file:///")
    assert "--headless" in command and "--norestore" in command
    assert command[-3:] == ["--outdir", str(tmp_path / "out"), str(tmp_path / "in/00000.docx")]


@posix_only
def test_a_hung_conversion_is_stopped_and_reported(tmp_path):
    docx = tmp_path / "a.docx"
    docx.write_bytes(b"form")
    half = "(out / '00000.pdf').write_bytes(b'%PDF-1.4 half a page')\ntime.sleep(60)\n"
    started = time.monotonic()
    result = pdf.convert(
        [(docx, tmp_path / "a.pdf")], timeout=1, soffice=fake_soffice(tmp_path, half)
    )
    assert time.monotonic() - started < 15
    assert result.timed_out
    assert result.failed == {docx: "转换超时，未生成 PDF"}
    assert not (tmp_path / "a.pdf").exists()  # the half-written PDF never reaches the output


@posix_only
def test_a_timeout_is_reported_by_the_build(tmp_path, write, monkeypatch):
    write("projects/a.yaml", GOOD_PROJECT)
    report = build([tmp_path / "projects"], BuildOptions(out_dir=tmp_path / "out"))
    monkeypatch.setattr(pdf, "find_soffice", lambda: fake_soffice(tmp_path, "time.sleep(60)\n"))
    delivery = deliver(report, pdf=True, pdf_timeout=1)
    assert delivery.problems == [
        "LibreOffice 转换 PDF 时超过 1 秒没有进展，已停止；可用 --pdf-timeout 加长时限后重试"
    ]
    assert [str(f) for f in delivery.findings] == [
        f"{(tmp_path / 'out/a.docx').as_posix()}: 转换超时，未生成 PDF"
    ]
    assert delivery.exit_code == 1


@posix_only
def test_progress_counts_finished_pdfs(tmp_path):
    files = []
    for name in "abc":
        files.append(tmp_path / f"{name}.docx")
        files[-1].write_bytes(b"form")
    seen: list[int] = []
    pdf.convert([(f, f.with_suffix(".pdf")) for f in files],
                soffice=fake_soffice(tmp_path, WRITES_PDFS), progress=seen.append)  # fmt: skip
    assert seen[-1] == 3 and seen == sorted(seen)


def test_the_pdf_of_a_project_that_now_fails_is_removed(runner, in_tmp, write):
    write("projects/a.yaml", GOOD_PROJECT)
    (in_tmp / "output").mkdir()
    (in_tmp / "output/a.pdf").write_bytes(b"%PDF- an old form")
    write("projects/a.yaml", GOOD_PROJECT.replace("  财政资金: 3082.53", "  财政资金: 三千"))
    result = runner.invoke(main, ["build", "projects"])
    assert result.exit_code == 1
    assert not (in_tmp / "output/a.pdf").exists()
    assert "已删除 1 个失败项目的旧 PDF" in result.stderr


@posix_only
def test_pdf_finds_libreoffice_in_its_windows_install_folder(runner, in_tmp, write, monkeypatch):
    program = in_tmp / "Program Files" / "LibreOffice 7" / "program" / "soffice.exe"
    program.parent.mkdir(parents=True)
    Path(fake_soffice(in_tmp, WRITES_PDFS)).rename(program)
    monkeypatch.setattr(libreoffice.shutil, "which", lambda name: None)
    monkeypatch.setenv("PROGRAMFILES", str(in_tmp / "Program Files"))
    write("projects/a.yaml", GOOD_PROJECT)
    result = runner.invoke(main, ["build", "projects", "--pdf"])
    assert result.exit_code == 0, result.output
    assert (in_tmp / "output/a.pdf").read_bytes().startswith(b"%PDF-1.4 PK")


@posix_only
def test_ctrl_c_stops_libreoffice(tmp_path, monkeypatch):
    docx = tmp_path / "a.docx"
    docx.write_bytes(b"form")
    pid_file = tmp_path / "pid"
    body = f"import os\nPath({str(pid_file)!r}).write_text(str(os.getpid()))\ntime.sleep(60)\n"

    def interrupted(*args):
        while not pid_file.exists():
            time.sleep(0.05)
        raise KeyboardInterrupt

    monkeypatch.setattr(pdf, "_wait", interrupted)
    with pytest.raises(KeyboardInterrupt):
        pdf.convert([(docx, tmp_path / "a.pdf")], soffice=fake_soffice(tmp_path, body))
    with pytest.raises(ProcessLookupError):
        os.kill(int(pid_file.read_text()), 0)  # LibreOffice is gone, not left running
