#!/usr/bin/env bash
# Install what the JupyterLab browser test drives: the system Chromium and its driver.
# Test tools' own browser downloads (`playwright install`) are not available offline, so the
# test launches the Debian chromium at a fixed path. Idempotent: does nothing when present.
set -euo pipefail

CHROMIUM="${INTERVIEW_LENS_CHROMIUM:-/usr/bin/chromium}"
if [[ -x "$CHROMIUM" && -x /usr/bin/chromedriver ]]; then
    echo "browser-deps: $("$CHROMIUM" --version 2>/dev/null | head -n1) already installed"
    exit 0
fi

if ! command -v apt-get >/dev/null; then
    echo "browser-deps: $CHROMIUM is missing and apt-get is not available;" \
         "install Chromium and set INTERVIEW_LENS_CHROMIUM to its path" >&2
    exit 1
fi
SUDO=""
if [[ $(id -u) -ne 0 ]]; then
    SUDO="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq chromium chromium-driver >/dev/null
echo "browser-deps: $("$CHROMIUM" --version 2>/dev/null | head -n1) installed"
