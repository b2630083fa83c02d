"""指标 pages (``views``) and ``/api/v1/indicators`` (``api``); templates under
``templates/indicators/``."""
