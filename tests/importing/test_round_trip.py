"""gen import on the sample forms: every built form reads back to the same data and the same form."""

from __future__ import annotations

import pytest
from conftest import SAMPLES
from docx_grid import docx_grid
from handmade import (
    normalised,
    same_data,
)

from gen.build import BuildOptions, build
from gen.importing.importer import import_forms
from gen.load import find_project_files

# ---------------------------------------------------------------- the samples round trip


@pytest.fixture(scope="module")
def sample_round_trip(tmp_path_factory: pytest.TempPathFactory):
    """The samples built, then imported into a fresh folder."""
    root = tmp_path_factory.mktemp("round")
    report = build([SAMPLES], BuildOptions(out_dir=root / "forms"))
    assert report.exit_code == 0
    result = import_forms([root / "forms"], root / "projects")
    return root, result


def test_every_sample_imports_to_thesame_data(sample_round_trip):
    root, result = sample_round_trip
    assert result.problems == []
    samples = find_project_files([SAMPLES])
    assert len(result.written) == len(samples) == 33
    for sample in samples:
        relative = sample.relative_to(SAMPLES)
        same_data(normalised(sample), normalised(root / "projects" / relative))


def test_imported_samples_check_clean_and_build_the_same_forms(sample_round_trip, tmp_path):
    root, result = sample_round_trip
    assert result.check is not None and result.check.findings == []
    rebuilt = build([root / "projects"], BuildOptions(out_dir=tmp_path / "again", strict=True))
    assert rebuilt.exit_code == 0
    for form in (root / "forms").rglob("*.docx"):
        again = tmp_path / "again" / form.relative_to(root / "forms")
        assert docx_grid(again.read_bytes()) == docx_grid(form.read_bytes()), form.name


def test_imported_sample_yaml_reads_like_the_format(sample_round_trip):
    root, _ = sample_round_trip
    text = (root / "projects" / "信访办" / "劝导队经费.yaml").read_text(encoding="utf-8")
    assert text.splitlines()[1:8] == [
        "表样: 绩效目标申报表",
        "年度: 2026",
        "项目名称: 劝导队经费",
        "项目类别: 运转类项目",
        "项目性质: 经常性项目",
        "主管部门: 浦江镇人民政府",
        "实施单位: 浦江镇信访办",
    ]
    assert "格式:\n  日期格式: YYYY.M.D\n" in text
    assert "  项目资金总额: 4.0344\n" in text
