"""Files → plain data: parse YAML keeping the source line of every node, merge _defaults.yaml."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gen.errors import Finding, Location

KeyPath = tuple[str, ...]


@dataclass(frozen=True)
class Source:
    """One project file with its _defaults.yaml files merged in, and where each value was written."""

    path: Path  # the project file, as the user named it (relative paths stay relative)
    data: dict[str, Any]  # merged plain data: str, int, Decimal, date, bool, None, dict, list
    origins: dict[KeyPath, Location] = field(default_factory=dict)  # key path -> its key's line
    raw: dict[KeyPath, str] = field(default_factory=dict)  # key path -> scalar text as written

    def locate(self, *keys: str) -> Location:
        """Where the value at `keys` (or its nearest written ancestor) was written."""
        path: KeyPath = tuple(keys)
        while path:
            if path in self.origins:
                return self.origins[path]
            path = path[:-1]
        return Location(self.path, 1)


# load_project(path: Path) -> tuple[Source | None, list[Finding]]  -- implemented below
