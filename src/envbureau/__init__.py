"""envbureau — the working platform of a municipal ecology and environment bureau."""

__version__ = "0.1.0"
