"""The staff console's platform pages (dashboard, imports, system …) while they move to their
own web packages; every router the app includes is named by a domain manifest
(``envbureau.domains``)."""
