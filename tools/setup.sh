#!/usr/bin/env bash
# setup.sh: installs the Debian packages meshc needs to build and test.
# Idempotent: packages already installed are skipped, and apt-get is not
# touched at all when everything is present.
set -euo pipefail

packages=(
  # build
  cmake ninja-build g++ clang clang-14 pkg-config
  # parser generator (the tool needs a JRE) and its runtime
  antlr4 libantlr4-runtime-dev default-jre-headless
  # compiler libraries
  llvm-14-dev libfmt-dev nlohmann-json3-dev libre2-dev libsimdjson-dev libtcmalloc-minimal4
  # the workspace file, mesh.yaml; meshc registry's HTTP client
  libyaml-cpp-dev libcurl4-openssl-dev
  # runtime libraries
  librdkafka-dev prometheus-cpp-dev libabsl-dev libssl-dev zlib1g-dev libtinfo-dev
  # tests: doctest, lit + FileCheck, python for lit and the interop clients
  doctest-dev llvm-14-tools python3 python3-jsonschema kcat python3-confluent-kafka graphviz
  python3-pydantic python3-prometheus-client prometheus
  # the HTML catalog's browser test: headless chromium through chromedriver
  chromium chromium-driver python3-selenium python3-pil
  # Avro peers of the tests (docs/avro.md)
  python3-avro
  # the pre-commit hooks and the CI example's test (workflow YAML)
  pre-commit python3-yaml
  # the shape and clang-format tests: function sizes (tools/shape.py), formatting (.clang-format)
  universal-ctags clang-format
  # the Debian package (cpack -G DEB: man pages from --help, Depends by
  # dpkg-shlibdeps, which needs file) and its test (man, lintian)
  help2man dpkg-dev file man-db lintian
  # benchmarks: the peer compiler bench/check and bench/compile time meshc against
  protobuf-compiler
  # tests/fuzz/run.sh: libFuzzer and the sanitizer runtimes of clang-14
  libclang-rt-14-dev
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done

# Node.js runs ajv, the JSON Schema validator the differential test compares
# with; machines that already have a node (from any source) keep it.
command -v node >/dev/null 2>&1 || missing+=(nodejs)
command -v npm >/dev/null 2>&1 || missing+=(npm)

if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: all ${#packages[@]} packages present"
  exit 0
fi

echo "setup: installing ${missing[*]}"
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
