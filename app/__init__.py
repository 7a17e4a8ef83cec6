"""Regroup's core: domain, storage, content, i18n and privacy. Never imports Flet."""
