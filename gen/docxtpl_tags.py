"""docxtpl's own reading of template tags, for the templates gen.tags leaves to it.

Importing this module loads docxtpl and python-docx: only a template that uses a tag gen does
not read itself, or a value that holds a line break or a tab, needs it.
"""

from __future__ import annotations

import io
from pathlib import Path

from docxtpl import DocxTemplate

from gen.tags import group_merge_cells


class GroupMergeTemplate(DocxTemplate):
    """docxtpl's tag patching plus `{% groupmerge EXPR %}` (see gen.tags.group_merge_cells)."""

    def __init__(self, template_file: Path | None = None) -> None:
        # without a file it serves for its XML patching only
        super().__init__(template_file if template_file is not None else io.BytesIO())

    def patch_xml(self, src_xml: str) -> str:
        """docxtpl's patching, then every groupmerge cell."""
        return group_merge_cells(super().patch_xml(src_xml))


_PATCHER = GroupMergeTemplate()


def docxtpl_reading(xml: str) -> str:
    """docxtpl's reading of the tags in a template's document.xml (before groupmerge cells)."""
    return DocxTemplate.patch_xml(_PATCHER, xml)


def with_listing(xml: str) -> str:
    """docxtpl's listing pass: a line break inside a value becomes <w:br/>, a tab <w:tab/>."""
    return _PATCHER.resolve_listing(xml)
