"""The app factory for uvicorn's worker processes (`petitions api --workers N`): each
process connects on its own; the projection workers run elsewhere (`petitions worker`)."""

from __future__ import annotations

from fastapi import FastAPI

from api.app import create_app
from service.bootstrap import bootstrap
from service.logs import configure_logging
from service.settings import Settings


def create() -> FastAPI:
    settings = Settings()
    configure_logging(settings.log_format, settings.log_level)
    return create_app(bootstrap(settings))
