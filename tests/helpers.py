"""Small helpers shared by tests."""

from __future__ import annotations

import copy

DELETE = object()  # as a value: remove the key instead of setting it


def with_path(data, path: tuple, value):
    """A deep copy of data with the item at path set to value (or removed, for DELETE)."""
    result = copy.deepcopy(data)
    node = result
    for key in path[:-1]:
        node = node[key]
    if value is DELETE:
        del node[path[-1]]
    else:
        node[path[-1]] = value
    return result
