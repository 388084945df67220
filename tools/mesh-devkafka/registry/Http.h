// Http: the schema registry (Registry.h) served over HTTP on loopback with
// civetweb, the HTTP server prometheus-cpp already brings (docs/registry.md).
#pragma once

#include <memory>
#include <string>

#include "registry/Registry.h"

struct mg_context;

namespace mesh::devkafka {

class RegistryServer {
 public:
  /// Serves `registry` on 127.0.0.1:`port` (0: a free port); check ok().
  RegistryServer(Registry& registry, int port);
  ~RegistryServer();
  RegistryServer(const RegistryServer&) = delete;
  RegistryServer& operator=(const RegistryServer&) = delete;

  bool ok() const { return context_ != nullptr; }
  /// Why it could not start.
  const std::string& error() const { return error_; }
  /// `http://127.0.0.1:PORT`, the port it listens on.
  std::string url() const;

 private:
  Registry& registry_;
  mg_context* context_ = nullptr;
  std::string error_;
};

}  // namespace mesh::devkafka
