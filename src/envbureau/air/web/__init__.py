"""The 空气 pages of the staff console and their JSON API (``/api/v1/air/…``): thin handlers
over the air domain's result objects (stations, a station's month, the AQI calendar, the
evaluation table, the ranking), scoped to the areas the user may see."""
