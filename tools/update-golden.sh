#!/usr/bin/env bash
# update-golden.sh: regenerates the golden files of tests/golden from their
# contracts, for review with `git diff` after a deliberate generator change.
# Usage: tools/update-golden.sh [MESHC]   (default: build/meshc)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
meshc="$(realpath "${1:-$root/build/meshc}")"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
# Built from the contract's own directory, so the stamps name it relatively.
(cd "$root/tests/lit/validate/Inputs" && "$meshc" build types.mesh -o "$tmp" --target jsonschema --target cpp)
for target in jsonschema cpp; do
  rm -rf "$root/tests/golden/$target"
  cp -r "$tmp/$target" "$root/tests/golden/$target"
  echo "updated tests/golden/$target"
done
# The contract hostile to C++ (keywords, quotes, */, ??/, non-ASCII).
(cd "$root/tests/codegen" && "$meshc" build injection.mesh -o "$tmp/injection" --target cpp --target jsonschema)
rm -rf "$root/tests/golden/injection"
cp -r "$tmp/injection" "$root/tests/golden/injection"
echo "updated tests/golden/injection"
# The manifest target: the example workspace (built from the repository root,
# so stamps read examples/contracts/...), a small contract with an external
# upstream from another include root, and the smallest product.
rm -rf "$root/tests/golden/manifest"
mkdir -p "$root/tests/golden/manifest"
(cd "$root" && MESH_TODAY=2026-11-25 "$meshc" build examples/contracts -o "$tmp/manifest-examples" --target manifest)
(cd "$root/tests/lit/generate/Inputs" && "$meshc" build lineage --include lineage-vendor -o "$tmp/manifest-lineage" --target manifest)
(cd "$root/tests/lit/generate/Inputs" && "$meshc" build minimal.mesh -o "$tmp/manifest-minimal" --target manifest)
for name in examples lineage minimal; do
  cp -r "$tmp/manifest-$name/manifest" "$root/tests/golden/manifest/$name"
done
echo "updated tests/golden/manifest"
# The docs target (HTML catalog): the small contract with an external
# upstream and hostile text, and the smallest product.
rm -rf "$root/tests/golden/docs"
mkdir -p "$root/tests/golden/docs"
(cd "$root/tests/lit/generate/Inputs" && "$meshc" build lineage --include lineage-vendor -o "$tmp/docs-lineage" --target docs)
(cd "$root/tests/lit/generate/Inputs" && "$meshc" build minimal.mesh -o "$tmp/docs-minimal" --target docs)
for name in lineage minimal; do
  cp -r "$tmp/docs-$name/docs" "$root/tests/golden/docs/$name"
done
echo "updated tests/golden/docs"
# The additions of language version 0.2 (section 8) in one contract, every
# target: unions (a product's schema), json, @wire, @meta, defaults, map keys.
rm -rf "$root/tests/golden/additions"
(cd "$root/tests/lit/generate/Inputs" && MESH_TODAY=2026-11-25 "$meshc" build additions.mesh -o "$root/tests/golden/additions" \
  --target cpp --target jsonschema --target manifest --target docs)
echo "updated tests/golden/additions"
