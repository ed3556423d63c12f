"""Benchmark: generates synthetic projects and prints how fast `gen build` is against plain docxtpl.

Run `python bench/run.py` from the repository root (`--n 1000 --small 100` are the defaults). It
prints figures; it asserts nothing. Every project is made from the shapes of the sample
projects/: 5–20 indicators, goals of 20–400 characters, both 表样, folders with _defaults.yaml.
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
TEMPLATES = REPO / "templates"
FOLDERS = 10
CATEGORY = {
    "绩效目标表": ("专项资金", "经常性项目", "一次性项目"),
    "绩效目标申报表": ("人员类项目", "运转类项目", "特定目标类项目"),
}
LEVEL2 = {
    "产出指标": ("数量指标", "质量指标", "时效指标"),
    "效益指标": ("社会效益指标", "可持续影响指标"),
    "满意度指标": ("服务对象满意度指标",),
}
VALUES = {
    "数量指标": ("{n}次", "{n}人", "≥{n}份", "{n}个"),
    "质量指标": ("100%", "≥95%", "合格"),
    "时效指标": ("及时", "每月", "按时完成"),
    "社会效益指标": ("提升", "明显改善", "有效保障"),
    "可持续影响指标": ("建立健全", "长期"),
    "服务对象满意度指标": ("≥90%", "95%", "100%"),
}
WORDS = tuple(
    [
        "保障",
        "社区",
        "居民",
        "服务",
        "开展",
        "活动",
        "宣传",
        "经费",
        "管理",
        "提升",
        "工作",
        "落实",
        "安全",
        "治理",
        "规范",
        "建设",
        "培训",
        "志愿者",
        "法治",
        "党建",
        "平安",
        "健康",
        "信息",
        "采集",
        "维护",
        "设施",
        "运行",
        "人员",
        "队伍",
        "考核",
        "监督",
    ]
)


def text(rng: random.Random, low: int, high: int, tag: str) -> str:
    """A goal of low–high characters made of plausible words, unique through `tag`."""
    length = rng.randint(low, high)
    words = [tag]
    while sum(map(len, words)) < length:
        words.append(rng.choice(WORDS))
    return "".join(words)[:length] + "。"


def project(rng: random.Random, index: int, form: str) -> str:
    """One project file: what a clerk writes below a folder's _defaults.yaml."""
    amount = f"{rng.randint(1, 9999)}.{rng.randint(0, 99):02d}"
    lines = [
        f"项目名称: 项目{index:05d}",
        f"项目类别: {rng.choice(CATEGORY[form])}",
        *(["项目性质: 经常性项目"] if form == "绩效目标申报表" else []),
        "项目资金:",
        f"  财政资金: {amount}",
        "年度资金:",
        f"  当年财政拨款: {amount}",
        f"项目总目标: {text(rng, 20, 400, f'项目{index}')}",
        "年度总体目标: |",
        f"  {text(rng, 20, 200, f'项目{index}年度')}",
        f"  {text(rng, 20, 200, '另')}",
        "绩效指标:",
    ]
    lines += indicators(rng, index, rng.randint(5, 20))
    return "\n".join(lines) + "\n"


def indicators(rng: random.Random, index: int, count: int) -> list[str]:
    """`count` indicators over the three required 一级, at least one under each."""
    slots = [(l1, l2) for l1, l2s in LEVEL2.items() for l2 in l2s]
    chosen = slots[:1] + [slots[3]] + [slots[5]] + [rng.choice(slots) for _ in range(count - 3)]
    tree: dict[str, dict[str, list[str]]] = {}
    for number, (l1, l2) in enumerate(sorted(chosen, key=slots.index)):
        value = rng.choice(VALUES[l2]).format(n=rng.randint(1, 500))
        tree.setdefault(l1, {}).setdefault(l2, []).append(
            f"      {l2[:2]}{index}-{number}: {value}"
        )
    lines = []
    for l1, level2 in tree.items():
        lines.append(f"  {l1}:")
        for l2, rows in level2.items():
            lines += [f"    {l2}:", *rows]
    return lines


def generate(root: Path, n: int, seed: int = 2026) -> Path:
    """N projects in FOLDERS folders below root/projects; half the folders are 申报表."""
    rng = random.Random(seed)
    projects = root / "projects"
    projects.mkdir(parents=True)
    (projects / "_defaults.yaml").write_text(
        "年度: 2026\n计划开始日期: 2026-01-01\n计划完成日期: 2026-12-31\n主管部门: 浦江镇人民政府\n",
        encoding="utf-8",
    )
    for folder in range(FOLDERS):
        form = ("绩效目标表", "绩效目标申报表")[folder % 2]
        where = projects / f"单位{folder:02d}"
        where.mkdir()
        (where / "_defaults.yaml").write_text(
            f"表样: {form}\n实施单位: 浦江镇单位{folder:02d}\n", encoding="utf-8"
        )
    for index in range(n):
        folder = index % FOLDERS
        form = ("绩效目标表", "绩效目标申报表")[folder % 2]
        path = projects / f"单位{folder:02d}" / f"项目{index:05d}.yaml"
        path.write_text(project(rng, index, form), encoding="utf-8")
    return projects


# ---------------------------------------------------------------- measuring

GEN = [sys.executable, "-m", "gen"]
RSS_PROBE = (
    "import resource, subprocess, sys; subprocess.run(sys.argv[1:], check=True, "
    "stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL); "
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
)


def wall(command: list[str], cwd: Path) -> float:
    """Seconds one command takes, start-up included."""
    started = time.perf_counter()
    subprocess.run(command, cwd=cwd, check=False, capture_output=True)
    return time.perf_counter() - started


def peak_rss_mb(command: list[str], cwd: Path) -> float:
    """The peak RSS of a command in MB, measured by a parent of its own."""
    probe = subprocess.run(
        [sys.executable, "-c", RSS_PROBE, *command], cwd=cwd, capture_output=True, text=True
    )
    return int(probe.stdout.strip()) / 1024


def per_form(root: Path, n: int) -> tuple[float, ...]:
    """ms/form of `gen build -j 1` (in-process, whole build), its render+write stage, plain docxtpl."""
    import io

    import jinja2

    from gen.build import BuildOptions, build, check
    from gen.model import project_from, render_context
    from gen.output import write_atomic
    from gen.render import GroupMergeTemplate, Renderer

    projects = root / "projects"
    build([projects], BuildOptions(out_dir=root / "warm", jobs=1))  # imports and caches warmed up
    started = time.perf_counter()
    build([projects], BuildOptions(out_dir=root / "j1", jobs=1, force=True))
    whole = (time.perf_counter() - started) / n * 1000
    items = []
    for result in check([projects]).results:
        project = project_from(result.doc)
        items.append((result.path, project.form, render_context(project)))
    renderer = Renderer(TEMPLATES)
    (root / "plain").mkdir()
    started = time.perf_counter()
    for path, form, context in items:
        write_atomic(root / "fast" / path.with_suffix(".docx").name, renderer.render(form, context))
    fast = (time.perf_counter() - started) / n * 1000
    started = time.perf_counter()
    for path, form, context in items:
        template = GroupMergeTemplate(TEMPLATES / f"{form}.docx")
        env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
        template.render(context, env)
        template.save(root / "plain" / path.with_suffix(".docx").name)
    plain = (time.perf_counter() - started) / n * 1000
    started = time.perf_counter()
    for _path, form, context in items:
        renderer.render(form, context)
    render_only = (time.perf_counter() - started) / n * 1000
    started = time.perf_counter()
    for _path, form, context in items:
        template = GroupMergeTemplate(TEMPLATES / f"{form}.docx")
        env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
        template.render(context, env)
        template.save(io.BytesIO())
    plain_only = (time.perf_counter() - started) / n * 1000
    return whole, fast, plain, render_only, plain_only


def form_check_ms(root: Path) -> float:
    """ms a no-change build spends telling that every form is still as written (size, SHA-256)."""
    from gen.state import State

    out = root / "output"
    state = State.read(out)
    entries = [(out / key, state.get(out / key, out / key)) for key in state.raw]
    started = time.perf_counter()
    unchanged = sum(entry.output_matches(form) for form, entry in entries if entry is not None)
    assert unchanged == len(entries)
    return (time.perf_counter() - started) * 1000


def unknown_keys(root: Path, count: int = 10_000) -> float:
    """Seconds `gen check` takes on one project with `count` unknown keys, start-up included."""
    folder = root / "unknown"
    folder.mkdir()
    extra = "".join(f"未知键{i}: {i}\n" for i in range(count))
    (folder / "项目.yaml").write_text(project(random.Random(1), 0, "绩效目标表") + extra, "utf-8")
    return wall([*GEN, "check", "unknown"], root)


def main() -> None:
    """Generate the projects, measure, print one line per figure."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1000, help="projects for the large runs")
    parser.add_argument("--small", type=int, default=100, help="projects for the small runs")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="gen-bench-") as temp:
        small, large = Path(temp) / "small", Path(temp) / "large"
        generate(small, args.small)
        generate(large, args.n)
        report(small, large, args.small, args.n)


def report(small: Path, large: Path, n_small: int, n: int) -> None:
    """Run every measurement and print it."""
    cores = os.cpu_count()
    print(f"machine: {cores} cores, Python {sys.version.split()[0]}, {n_small} and {n} projects")
    whole, fast, plain, render_only, plain_only = per_form(small, n_small)
    print(f"gen build -j 1, whole build (load, check, render, write): {whole:.2f} ms/form")
    print(f"gen render + atomic write (-j 1 render stage):          {fast:.2f} ms/form")
    print(f"plain docxtpl loop (DocxTemplate, render, save to file):  {plain:.2f} ms/form")
    print(
        f"gen render to bytes: {render_only:.2f} ms/form; plain docxtpl to memory: {plain_only:.2f} ms/form"
    )
    print(f"ratio plain/gen: {plain_only / render_only:.1f}x rendering, {plain / fast:.1f}x rendering+writing, "
          f"{plain / whole:.1f}x whole build")  # fmt: skip
    build = [*GEN, "build", "projects", "-q"]
    print(f"{n} projects, cold, all cores:  {wall(build, large):.2f} s")
    print(f"{n} projects, nothing changed: {wall(build, large):.2f} s")
    print(f"  of which comparing every form with its SHA-256: {form_check_ms(large):.0f} ms")
    one = large / "projects" / "单位03" / "项目00003.yaml"
    one.write_text(one.read_text(encoding="utf-8") + "# 改动\n", encoding="utf-8")
    print(f"{n} projects, one file touched: {wall(build, large):.2f} s")
    print(f"{n} projects, cold, -j 1:       {wall([*build, '-j', '1', '--force'], large):.2f} s")
    rss_small = peak_rss_mb([*build, "-j", "1", "-o", "rss"], small)
    rss_large = peak_rss_mb([*build, "-j", "1", "-o", "rss"], large)
    print(f"peak RSS, cold -j 1: {rss_small:.1f} MB at {n_small}, {rss_large:.1f} MB at {n} "
          f"({(rss_large / rss_small - 1) * 100:+.0f}%)")  # fmt: skip
    helps = [wall([*GEN, "--help"], small) for _ in range(5)]
    print(f"gen --help: {min(helps):.3f} s (best of 5)")
    print(
        f"gen check, one file with 10,000 unknown keys: {unknown_keys(small):.2f} s (target < 2 s)"
    )


if __name__ == "__main__":
    main()
