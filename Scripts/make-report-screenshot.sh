#!/bin/sh
# Remakes docs/report.png, the README's picture of the SampleLogs report: the release build's
# replay of SampleLogs with Rules, its report opened in headless Chromium (Debian's `chromium`).
#
#     Scripts/make-report-screenshot.sh
set -eu
cd "$(dirname "$0")/.."
swift build -c release --scratch-path .build-release --product vigil
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
.build-release/release/vigil replay --rules Rules --output json --report "$work/report.html" SampleLogs >/dev/null 2>"$work/summary.txt"
# Tall enough for the whole page down to the first rows of the alert list.
chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1200,3400 \
    --screenshot="$work/report.png" "file://$work/report.html" 2>/dev/null
cp "$work/report.png" docs/report.png
echo "docs/report.png: $(wc -c < docs/report.png) bytes"
