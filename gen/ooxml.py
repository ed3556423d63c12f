"""Office packages (.docx, .xlsx) re-zipped with fixed timestamps, so equal content gives equal bytes."""

from __future__ import annotations

import io
import zipfile

ZIP_DATE = (1980, 1, 1, 0, 0, 0)  # the earliest a zip can say: no build time in the file


def fixed_zip(data: bytes) -> bytes:
    """The same package with every part dated ZIP_DATE and stored with the same attributes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(buffer, "w") as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=ZIP_DATE)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.create_system = 0  # the same bytes on Windows and Linux
            target.writestr(fixed, source.read(info))
    return buffer.getvalue()
