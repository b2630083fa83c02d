"""``python -m envbureau``: the same command as the ``envbureau`` script."""

from envbureau.cli import app

app(prog_name="envbureau")
