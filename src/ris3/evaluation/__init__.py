"""ris3.evaluation."""
