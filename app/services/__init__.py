"""Verb-first operations on the domain. They flush, never commit: the caller owns the transaction."""
