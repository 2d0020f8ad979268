"""Command modules of the ``ris3`` command line (see :mod:`ris3.cli`)."""
