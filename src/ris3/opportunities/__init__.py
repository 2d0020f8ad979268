"""ris3.opportunities."""
