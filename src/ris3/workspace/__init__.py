"""The strategy workspace: a multi-user web application for running an S3 process.

Install with ``pip install ris3[workspace]``. Nothing here is imported by
``import ris3``; Django is loaded only by :func:`ris3.workspace.runtime.setup`
(called by the ``ris3 workspace`` commands) or by pointing
``DJANGO_SETTINGS_MODULE`` at ``ris3.workspace.settings``.

The workspace keeps the S3 data model (strategies, steps, organisations,
stakeholders, engagements, candidate domains, evidence), writes every change
through :mod:`ris3.workspace.services` (one transaction, one audit record,
optimistic locking; users and API tokens in :mod:`ris3.workspace.identity`) and
reads through :mod:`ris3.workspace.selectors`. Who may do what is declared once
in :mod:`ris3.workspace.permissions`; the analytics are called through
:mod:`ris3.workspace.analysis` (``ris3.profile`` and ``ris3.strategy``).
"""
