"""Platform core: settings, database, errors, areas and units, accounts and audit, importers,
periods and the indicator registry."""
