"""工作台账 in the console and the API: the work records of a period with the plans after it,
each item's page with its history, audited edits (views), and the same as JSON (api)."""
