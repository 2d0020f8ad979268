"""Diversification: opportunities for a region, structural peers, backtests.

The public functions live at the top level (``ris3.opportunities``,
``ris3.peers``, ``ris3.backtest``); this package is named after the idea, not
after a function, so that importing one of its modules never hides a function
of ``ris3``.
"""
