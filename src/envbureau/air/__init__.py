"""Air-quality monitoring domain: stations, observations, readers of published formats."""
