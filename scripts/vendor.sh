#!/usr/bin/env bash
# Install the browser libraries (htmx, ECharts) from the npm registry into static/vendor/.
# They are served by bangfu itself (no CDN) and are not committed.
set -euo pipefail
cd "$(dirname "$0")/.."
dest=src/bangfu/static/vendor
if [ -f "$dest/htmx.min.js" ] && [ -f "$dest/echarts.min.js" ]; then exit 0; fi
mkdir -p var/npm "$dest"
npm install --no-save --no-audit --no-fund --prefix var/npm htmx.org@2.0 echarts@5.6 >/dev/null
cp var/npm/node_modules/htmx.org/dist/htmx.min.js "$dest/"
cp var/npm/node_modules/echarts/dist/echarts.min.js "$dest/"
echo "vendor: htmx and echarts installed in $dest"
