"""Which address a request counts as (the pairing limit counts failures per address): the peer, or behind a
trusted proxy the first X-Forwarded-For hop from the right that is not one of the practice's proxies. Straight
at `api.client_address` with a stand-in request; test_contract.py shows the same through the pairing route."""

from __future__ import annotations

import ipaddress
from types import SimpleNamespace

import pytest
from starlette.datastructures import Headers

from server.api import client_address

PROXIES = (ipaddress.ip_network("10.0.0.0/24"), ipaddress.ip_network("2001:db8:1::/48"))


def request(peer: str | None, forwarded: str | None = None, trusted=PROXIES):
    headers = Headers(headers={"X-Forwarded-For": forwarded} if forwarded is not None else {})
    return SimpleNamespace(app=SimpleNamespace(state=SimpleNamespace(settings=SimpleNamespace(trusted_proxies=trusted))),
                           client=None if peer is None else SimpleNamespace(host=peer), headers=headers)


@pytest.mark.parametrize("peer, forwarded, trusted, address", [
    ("198.51.100.7", "203.0.113.9", (), "198.51.100.7"),  # no proxy configured: the header is ignored
    ("198.51.100.7", "203.0.113.9", PROXIES, "198.51.100.7"),  # the peer is not a proxy: ignored
    ("10.0.0.5", "203.0.113.9", PROXIES, "203.0.113.9"),
    ("10.0.0.5", "198.51.100.1, 203.0.113.9", PROXIES, "203.0.113.9"),  # the hop the proxy saw, not the client's claim
    ("10.0.0.5", "198.51.100.1, 203.0.113.9, 10.0.0.2", PROXIES, "203.0.113.9"),  # through two proxies
    ("2001:db8:1::5", "203.0.113.9, 2001:db8:1::9", PROXIES, "203.0.113.9"),  # the second network counts too
    ("10.0.0.5", "10.0.0.3, 10.0.0.2", PROXIES, "10.0.0.5"),  # every hop a proxy: the peer
    ("10.0.0.5", "", PROXIES, "10.0.0.5"),
    ("10.0.0.5", None, PROXIES, "10.0.0.5"),
    ("10.0.0.5", " , 203.0.113.9 ,  ,", PROXIES, "203.0.113.9"),  # blanks and spaces
    ("10.0.0.5", "not-an-address", PROXIES, "not-an-address"),  # not an address: never a proxy
    ("10.0.0.5", "x" * 100, PROXIES, "x" * 64),  # what a client wrote, cut short
    ("unknown-peer", "203.0.113.9", PROXIES, "unknown-peer"),
    (None, "203.0.113.9", PROXIES, "unknown"),
    (None, None, (), "unknown"),
])
def test_the_address_a_request_counts_as(peer, forwarded, trusted, address):
    assert client_address(request(peer, forwarded, trusted)) == address
