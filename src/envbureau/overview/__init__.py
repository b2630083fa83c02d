"""Cross-domain views of the bureau's figures: the staff dashboard (首页, ``service``) and what
the public portal discloses (``portal``). They read the domains only through their services,
snapshots and indicator values, and return frozen dataclasses for the web to render."""
