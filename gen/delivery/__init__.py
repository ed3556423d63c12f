"""The submission package made beside the forms: PDFs, the bound book, the Excel 汇总表."""
