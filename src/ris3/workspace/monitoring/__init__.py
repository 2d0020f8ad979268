"""Monitoring: the intervention logic of each priority, its indicators and the scorecard."""
