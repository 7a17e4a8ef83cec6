"""Regroup's Flet screens. They call use-cases in app/ and never touch SQL or HTTP."""
