#!/bin/sh
# The browser tests drive Debian's Chromium (Playwright's own download cannot work here).
if command -v chromium >/dev/null 2>&1; then exit 0; fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Debian's chromium for the browser tests..."
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
    || echo "WARNING: chromium could not be installed; the browser tests will say why they cannot run." >&2
else
  echo "WARNING: chromium is missing and cannot be installed here (not root or no apt-get)." >&2
fi
