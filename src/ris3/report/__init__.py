"""ris3.report."""
