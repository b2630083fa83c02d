"""The public portal: what the bureau discloses, with no login and nothing internal.

``views`` serves the page (``/``), ``api`` its JSON twins (``/api/v1/public/...``) and
``/healthz``; both show the same figures, from ``overview.portal`` through the page cache
(``figures``).
"""
