// Registry: `meshc registry push|check` (toolchain.md section 4,
// docs/registry.md): the Avro schema of every `format avro` product of a
// build registered in, or tested against, a schema registry through
// Confluent's REST API (libcurl).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "llvm/Support/raw_ostream.h"
#include "model/Model.h"

namespace mesh::driver {

struct RegistryEndpoint {
  std::string url;                  // http(s)://host[:port][/path], without a trailing '/'
  std::optional<std::string> auth;  // user:password, HTTP basic
};

/// The endpoint from --registry (else MESH_SCHEMA_REGISTRY_URL, else the
/// workspace file's `registry`) and MESH_SCHEMA_REGISTRY_AUTH; nothing,
/// with `error` set, when there is no URL or it is not http(s).
std::optional<RegistryEndpoint> registryEndpoint(const std::string& flag, const std::string& file, std::string& error);

/// The subject a product's value schema is registered under, by its
/// topic's naming strategy.
std::string subjectOf(const model::Product& product);

/// Registers (push) or tests (check) the schema of each `format avro`
/// product of `products`, printing `subject id version` (push) or
/// `subject compatible|new|incompatible` (check) to `out`. Returns 0, 1 when
/// the registry refused a schema or found one incompatible (its message on
/// `err`), 2 when it could not be asked.
int runRegistry(bool push, const RegistryEndpoint& endpoint, const std::vector<const model::Product*>& products,
                llvm::raw_ostream& out, llvm::raw_ostream& err);

}  // namespace mesh::driver
