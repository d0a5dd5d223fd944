#!/usr/bin/env bash
# Runs every test of CommandCenter: domain, data (real SQLite built by the migrations; SQL Server too when
# COMMANDCENTER_TEST_SQLSERVER holds a connection string), jobs, web (bUnit + integration) and end-to-end
# (headless Chromium). Installs what the tests need when it is missing (Debian: chromium, CJK fonts, mosquitto, poppler-utils).
set -euo pipefail
cd "$(dirname "$0")"

need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
fc-list 2>/dev/null | grep -qi "Noto Sans CJK" || need+=(fonts-noto-cjk)
# The MQTT ingestion tests start Debian's broker on a free port (and may publish with mosquitto_pub).
{ [ -x /usr/sbin/mosquitto ] || command -v mosquitto >/dev/null 2>&1; } || need+=(mosquitto)
command -v mosquitto_pub >/dev/null 2>&1 || need+=(mosquitto-clients)
# The report end-to-end test renders the PDF's first page to PNG with poppler's pdftoppm.
command -v pdftoppm >/dev/null 2>&1 || need+=(poppler-utils)
if [ ${#need[@]} -gt 0 ]; then
  echo "Installing ${need[*]} for the end-to-end tests..."
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
fi

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet build CommandCenter.sln -c Release
# One test assembly at a time: the machine has 2 cores and the web and end-to-end suites each start the app.
log=$(mktemp)
status=0
dotnet test CommandCenter.sln -c Release --no-build -m:1 "$@" 2>&1 | tee "$log" || status=$?
# One closing line for the whole run, summed over the test assemblies.
awk '/(Passed|Failed)!/ { for (i = 1; i <= NF; i++) { v = $(i + 1); gsub(/,/, "", v);
       if ($i == "Failed:") f += v; if ($i == "Passed:") p += v; if ($i == "Skipped:") s += v } }
     END { printf "%d passed, %d failed, %d skipped\n", p, f, s }' "$log"
rm -f "$log"
exit $status
