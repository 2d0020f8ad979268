"""Template filters of the calls pages."""
