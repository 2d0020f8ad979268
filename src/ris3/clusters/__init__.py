"""ris3.clusters."""
