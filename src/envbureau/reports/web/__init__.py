"""报告 in the console: generate the half-year work report of an area, download its files,
read it with every figure linked to its provenance page (views)."""
