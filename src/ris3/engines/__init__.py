"""ris3.engines."""
