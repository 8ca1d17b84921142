"""File exports of the staff reports: Excel (XlsxWriter) and PDF (reportlab)."""
