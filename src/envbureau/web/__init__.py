"""The web application: public portal, staff console (to come) and JSON API."""
