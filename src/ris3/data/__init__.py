"""ris3.data."""
