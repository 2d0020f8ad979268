"""ris3.measures."""
