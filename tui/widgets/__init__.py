"""Reusable widgets: safe text cells, Markdown without HTML, forms."""
