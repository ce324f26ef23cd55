"""Background workers: the RQ entry point and the runner that executes recorded jobs."""
