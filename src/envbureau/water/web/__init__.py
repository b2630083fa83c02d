"""The water pages (水: sections, a section's trends, classes by period, compliance) and the
``/api/v1/water`` API: thin handlers over the water services, which compute every figure."""
