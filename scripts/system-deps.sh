#!/usr/bin/env bash
# Install the Debian packages bangfu needs (called by `make demo` / `make test`).
#
# Checks each package with dpkg first and touches apt only when something is missing;
# `apt-get update` runs at most once per checkout (stamp var/.apt-updated) unless an install
# fails on stale package lists. Runs as root (or through sudo when available).
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p var

packages=(
  python3.11 python3.11-venv   # the interpreter and venv (Django 5.2 LTS on Python 3.11)
  chromium fonts-noto-cjk      # browser tests (Playwright drives Debian's Chromium) with Chinese fonts
  fonts-arphic-ukai            # a free 楷体 for the briefing's second-level headings in its PDF
  libreoffice-writer-nogui     # the briefing's PDF: `soffice --headless --convert-to pdf` of its .docx
  poppler-utils                # pdftoppm / pdfinfo: look at a briefing's PDF pages
  gettext                      # msgfmt for compilemessages
  wrk                          # benchmarks/web_load.py: the HTTP load generator
  postgresql                   # PostgreSQL 15 server: `make test` starts a throwaway cluster
  ca-certificates
)

installed() { [ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null)" = "install ok installed" ]; }

missing=()
for p in "${packages[@]}"; do installed "$p" || missing+=("$p"); done
# Spark needs Java 17 or newer; any installed java will do.
if ! command -v java >/dev/null 2>&1; then missing+=(openjdk-17-jre-headless); fi
# scripts/vendor.sh needs npm (some nodejs builds bundle it, so check the command, not the package).
if ! command -v npm >/dev/null 2>&1; then
  installed nodejs || missing+=(nodejs)
  missing+=(npm)
fi

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

SUDO=()
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO=(sudo); else
    echo "system-deps: missing packages ${missing[*]}; run as root or install them" >&2
    exit 1
  fi
fi

export DEBIAN_FRONTEND=noninteractive
stamp=var/.apt-updated
if [ ! -f "$stamp" ]; then
  "${SUDO[@]}" apt-get update -q
  touch "$stamp"
fi
echo "system-deps: installing ${missing[*]}"
if ! "${SUDO[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"; then
  # Stale package lists (the stamp is old): refresh once and retry.
  "${SUDO[@]}" apt-get update -q
  touch "$stamp"
  "${SUDO[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
fi
