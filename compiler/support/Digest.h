// Digest: SHA-256 of a text, in hex. One implementation for the SARIF
// fingerprints, the schema fingerprints of the manifests and the build
// cache's content keys.
#pragma once

#include <string>
#include <string_view>

namespace mesh {

/// The SHA-256 of `text` as 64 lowercase hex digits.
std::string sha256Hex(std::string_view text);

}  // namespace mesh
