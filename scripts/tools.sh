#!/usr/bin/env bash
# Installs the command-line tools the tests use when they are missing: ffmpeg (ffprobe checks
# recordings for audio; tests synthesise audio with ffmpeg's sine source).
set -euo pipefail
if command -v ffprobe >/dev/null && command -v ffmpeg >/dev/null; then exit 0; fi
echo "tools.sh: installing ffmpeg with apt" >&2
apt-get -o DPkg::Lock::Timeout=600 update -qq >/dev/null
DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq ffmpeg >/dev/null
