"""File exports of the staff reports: Excel (openpyxl) and PDF (reportlab)."""
