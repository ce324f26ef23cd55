"""WSGI entry point: `gunicorn wsgi:app`, `flask --app wsgi ...`."""

import gc

from app import create_app

app = create_app()
# What start-up made (modules, mappers, templates) is never garbage: the collector leaves it out
# of its passes, which otherwise grow with it and stall every thread of the process.
gc.freeze()
