"""Surveys of perceived strengths: builder, token links, imports and analysis (a workspace part)."""
