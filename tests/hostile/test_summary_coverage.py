"""The 汇总表, the book and the PDFs cover every project of the tree given, whatever an incremental
build rendered this time: byte-identical to what a clean build makes.
"""

from __future__ import annotations

import io
import os
import sys
from pathlib import Path

import pytest
from buildfs import FORM_COUNT, forms, reference, run, samples
from openpyxl import load_workbook

DELIVERABLES = ("--summary", "s.xlsx", "--book", "b.docx")  # the names of the reference's


def grand_total_label(workbook: bytes) -> str:
    """The 项目名称 cell of the 汇总表's last row (合计: N 个项目，M 个实施单位)."""
    sheet = load_workbook(io.BytesIO(workbook)).active
    assert sheet is not None
    assert sheet.cell(sheet.max_row, 1).value == "合计"
    return str(sheet.cell(sheet.max_row, 2).value)


def test_the_summary_and_book_cover_every_project_after_a_folder_was_built_alone(tmp_path):
    folder = samples(tmp_path)
    assert run(folder, "build", "projects", "-q").code == 0
    assert run(folder, "build", "projects/平安办", "-o", "output/平安办", "-q").code == 0
    done = run(folder, "build", "projects", *DELIVERABLES)
    assert done.code == 0
    # the forms 平安办's own build wrote are the same bytes: nothing to render
    assert done.err.splitlines()[-1].startswith(
        f"已生成 0 个，失败 0 个，有警告 0 个，未变 {FORM_COUNT} 个"
    )
    assert f"汇总表：s.xlsx（{FORM_COUNT} 个项目）" in done.err
    summary = (folder / "s.xlsx").read_bytes()
    assert grand_total_label(summary).startswith(f"{FORM_COUNT} 个项目")
    assert summary == reference().summary
    assert (folder / "b.docx").read_bytes() == reference().book


def test_the_summary_and_book_cover_every_project_after_one_form_was_deleted(tmp_path):
    folder = samples(tmp_path)
    assert run(folder, "build", "projects", "-q").code == 0
    (folder / "output" / "平安办" / "安保经费.docx").unlink()
    done = run(folder, "build", "projects", *DELIVERABLES)
    assert done.code == 0
    assert done.err.splitlines()[-1].startswith(
        f"已生成 1 个，失败 0 个，有警告 0 个，未变 {FORM_COUNT - 1} 个"
    )
    assert (folder / "s.xlsx").read_bytes() == reference().summary
    assert (folder / "b.docx").read_bytes() == reference().book
    assert forms(folder / "output") == reference().forms


def test_gen_summary_covers_every_project_whatever_was_built(tmp_path):
    folder = samples(tmp_path)
    assert run(folder, "build", "projects/平安办", "-q").code == 0  # some forms, elsewhere
    done = run(folder, "summary", "projects", "-o", "s.xlsx")
    assert done.code == 0
    assert (folder / "s.xlsx").read_bytes() == reference().summary


@pytest.mark.skipif(sys.platform == "win32", reason="the stand-in soffice is a script")
def test_pdfs_are_made_for_every_form_after_an_incremental_build(tmp_path):
    folder = samples(tmp_path)
    tools = tmp_path / "bin"
    tools.mkdir()
    soffice = tools / "soffice"  # a stand-in LibreOffice: one small PDF per .docx
    soffice.write_text(
        f"#!{sys.executable}\nimport sys\nfrom pathlib import Path\n"
        "argv = sys.argv[1:]\nout = Path(argv[argv.index('--outdir') + 1])\n"
        "for docx in (Path(a) for a in argv if a.endswith('.docx')):\n"
        "    (out / (docx.stem + '.pdf')).write_bytes(b'%PDF-1.4 ' + docx.name.encode() + b'\\n%%EOF\\n')\n",
        encoding="utf-8",
    )
    soffice.chmod(0o755)
    path = {"PATH": f"{tools}{os.pathsep}{os.environ['PATH']}"}
    assert run(folder, "build", "projects", "-q").code == 0
    (folder / "output" / "平安办" / "安保经费.docx").unlink()
    done = run(folder, "build", "projects", "--pdf", env=path)
    assert done.code == 0
    assert f"PDF：已生成 {FORM_COUNT} 个" in done.err
    pdfs = sorted(p.relative_to(folder / "output") for p in (folder / "output").rglob("*.pdf"))
    assert pdfs == sorted(Path(form).with_suffix(".pdf") for form in reference().forms)
