"""Reports: the half-year work report and others, built from indicator values and work records."""
