"""Colours shared by every map, chart and legend (a domain's own scale lives in the domain)."""

NO_DATA_COLOUR = "#C8CCD0"  # a place or a day with no valid data

# Month-by-month charts against last year, on the pages and in the report's appendix alike.
THIS_YEAR_COLOUR = "#C0392B"
LAST_YEAR_COLOUR = "#7F8C8D"
TARGET_COLOUR = "#2C3E50"  # the annual target's line
