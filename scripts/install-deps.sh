#!/usr/bin/env bash
# Installs every Debian 12 package that Switchboard's build, tests and benchmarks need.
# Idempotent and quiet when everything is already there; run as root (or with sudo).
set -euo pipefail

packages=(
  build-essential g++ cmake ninja-build pkg-config
  libyaml-cpp-dev libcli11-dev nlohmann-json3-dev libfmt-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  clang libclang-rt-14-dev
  libboost1.81-dev libssl-dev libspdlog-dev python3
  libopus-dev libspandsp-dev libspeexdsp-dev libsrtp2-dev libsndfile1-dev libsqlite3-dev
  libhowardhinnant-date-dev tzdata espeak-ng
  rtpengine-daemon
  sip-tester baresip baresip-core kamailio
  iproute2 util-linux
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "install-deps: installing ${missing[*]}"
sudo_cmd=()
[ "$(id -u)" -ne 0 ] && sudo_cmd=(sudo)
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
