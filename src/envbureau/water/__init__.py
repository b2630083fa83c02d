"""Surface-water monitoring domain: sections, readings, readers of published formats."""
