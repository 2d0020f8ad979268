"""The policy mix: the instrument register of a strategy (a part of the workspace)."""
