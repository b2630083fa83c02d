"""The indicator registry: every figure the bureau reports, with its rule and its provenance."""
