"""Regroup's specialist server: the sync API of SYNC.md and the specialist's dashboard."""

VERSION = "0.1.0"
PROTOCOL = 1
MIN_CLIENT_VERSION = "0.1.0"
