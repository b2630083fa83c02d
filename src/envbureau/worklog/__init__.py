"""Work log domain: work records (工作台账) and half-year work plans (工作安排)."""
