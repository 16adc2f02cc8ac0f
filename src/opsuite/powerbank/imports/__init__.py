"""Bulk import of users from Excel (notes §2.10): template, validation, import, the password report."""
