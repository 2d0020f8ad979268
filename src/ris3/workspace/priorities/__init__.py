"""Priority setting, a part of the workspace.

Scoring candidate domains, decisions, the lifecycle of a priority,
distinctiveness and the technology-economy match.
"""
