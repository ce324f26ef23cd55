"""Authentication and authorisation: passwords, scopes, throttling, HTTP security headers."""
