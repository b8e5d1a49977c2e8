#!/usr/bin/env bash
# Proof that the packages work outside the repository: packs the library (Seq2Seq) and the tool (s2s), installs the
# tool from the local package folder into a temporary tool path, and runs `s2s quickstart` from an empty folder.
#
# usage: build/test-packaged-tool.sh [QUICKSTART_MINUTES]   (default 0.5; the README's quickstart uses 2.5)
# Needs ~2 GB of free disk in $TMPDIR: the tool package carries libtorch (about 250 MB compressed).
set -euo pipefail
cd "$(dirname "$0")/.."
minutes=${1:-0.5}
out=$(mktemp -d); trap 'rm -rf "$out"' EXIT
dotnet pack Seq2Seq.slnx -c Release -o "$out/packages" -v q -nologo
ls -l "$out/packages"
version=$(ls "$out/packages" | sed -nE 's/^s2s\.([0-9][^/]*)\.nupkg$/\1/p')
dotnet tool install s2s --add-source "$out/packages" --tool-path "$out/tools" --version "$version"
mkdir "$out/elsewhere" && cd "$out/elsewhere"
"$out/tools/s2s" --help | head -n 3
"$out/tools/s2s" quickstart --minutes "$minutes" --run-dir "$out/elsewhere/run"
test -f "$out/elsewhere/run/checkpoints/best.ckpt"
echo "packaged tool OK: s2s $version installed from $out/packages and trained a model in $out/elsewhere"
