"""Colours shared by every map, chart and legend (a domain's own scale lives in the domain)."""

NO_DATA_COLOUR = "#C8CCD0"  # a place or a day with no valid data
