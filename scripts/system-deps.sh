#!/usr/bin/env bash
# Installs the Debian packages motcua's tests need when they are missing: Chromium for the browser
# tests, Noto fonts for Vietnamese in screenshots and PDFs, poppler-utils to read PDFs back.
set -euo pipefail
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
[ -e /usr/share/fonts/truetype/noto/NotoSans-Regular.ttf ] || need+=(fonts-noto-core)
command -v pdftotext >/dev/null 2>&1 || need+=(poppler-utils)
if [ ${#need[@]} -eq 0 ]; then exit 0; fi
if [ "$(id -u)" -ne 0 ]; then
  echo "motcua: missing Debian packages: ${need[*]}" >&2
  echo "        install them with: sudo apt-get install -y ${need[*]}" >&2
  exit 1
fi
echo "motcua: installing Debian packages: ${need[*]}"
apt-get update -q >/dev/null
DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${need[@]}" >/dev/null
