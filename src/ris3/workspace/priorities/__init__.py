"""Priority setting: scoring candidate domains, decisions, the lifecycle of a priority,
distinctiveness and the technology-economy match (a part of the workspace).
"""
