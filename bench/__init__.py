"""Offerdesk under gunicorn with production settings: load runs (``make bench``) and
the crash-safety test both start it from here."""
