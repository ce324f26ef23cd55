"""Background workers: the RQ entry point (python -m workers); the runner lives in app.jobs."""
