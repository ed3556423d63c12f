"""gen: YAML project files → 财政项目支出绩效目标表 / 绩效目标申报表 Word forms.

The public names are loaded on first use, so `gen --help` does not load the whole pipeline.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

from gen._version import __version__

_PUBLIC = {
    "BuildOptions": "gen.build",
    "build": "gen.build",
    "check": "gen.build",
    "Finding": "gen.errors",
    "GenError": "gen.errors",
    "Report": "gen.report",
}
__all__ = ["__version__", *_PUBLIC]


def __getattr__(name: str) -> Any:
    """A public name, imported from its module when first asked for."""
    if name not in _PUBLIC:
        raise AttributeError(f"module 'gen' has no attribute {name!r}")
    return getattr(import_module(_PUBLIC[name]), name)
