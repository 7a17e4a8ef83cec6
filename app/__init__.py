"""Regroup's core: domain rules, the local store (all SQL), content, i18n, crypto and use-cases. Never imports Flet."""
