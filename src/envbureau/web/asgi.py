"""The ASGI entry point: ``envbureau.web.asgi:create`` builds the app from the environment.

``envbureau serve --workers N`` runs it in N uvicorn processes; behind gunicorn:
``gunicorn -k uvicorn.workers.UvicornWorker -w 4 'envbureau.web.asgi:create()'``. Each process
checks the secret (``Settings.check_secret``) and, in production, that no demo account is
enabled, before it answers anything; then it removes kept uploads past their retention and
marks the import jobs of dead processes failed (``importing.jobs.on_start``).
"""

from __future__ import annotations

from fastapi import FastAPI

from envbureau.core.config import get_settings
from envbureau.core.importing import jobs, service
from envbureau.web.app import create_app
from envbureau.web.server import refuse_demo_accounts


def create() -> FastAPI:
    settings = get_settings()
    settings.check_secret()
    app = create_app(settings)
    refuse_demo_accounts(settings, app.state.engine)
    uploads = service.uploads_of(settings.data_dir)
    jobs.on_start(app.state.engine, uploads, settings.upload_retention_hours)
    return app
