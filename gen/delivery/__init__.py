"""The submission package made beside the forms: PDFs, the bound book, the Excel 汇总表."""

PDF_TIMEOUT_SECONDS = (
    120  # seconds without a new PDF before a LibreOffice run counts as hung (--pdf-timeout)
)
