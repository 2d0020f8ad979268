"""Open calls: criteria, proposals, panels of evaluators, results (a part of the workspace)."""
