"""首页 (the console's dashboard) of the user's area: ``views`` (``/console``), ``api``
(``/api/v1/dashboard``) and ``charts``, over ``overview.service`` through the page cache
(``figures``)."""
