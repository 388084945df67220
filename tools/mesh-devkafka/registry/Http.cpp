// Http: the registry's HTTP transport (see Http.h). Each request is read
// whole (at most kMaxBody bytes), answered by Registry::handle, and the
// connection closed.
#include "registry/Http.h"

#include <civetweb.h>

#include <cstring>
#include <exception>

namespace mesh::devkafka {
namespace {

// Far above any schema; a larger body is refused before it is read.
constexpr long long kMaxBody = 8LL << 20;

const char* reason(int status) {
  switch (status) {
    case 200:
      return "OK";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 409:
      return "Conflict";
    case 413:
      return "Payload Too Large";
    case 422:
      return "Unprocessable Entity";
    default:
      return status < 500 ? "Bad Request" : "Internal Server Error";
  }
}

void send(mg_connection* conn, const Response& r) {
  mg_printf(conn,
            "HTTP/1.1 %d %s\r\nContent-Type: application/vnd.schemaregistry.v1+json\r\n"
            "Content-Length: %zu\r\nConnection: close\r\n\r\n",
            r.status, reason(r.status), r.body.size());
  mg_write(conn, r.body.data(), r.body.size());
}

/// The body, or nothing when it is too large or the client went away.
bool readBody(mg_connection* conn, long long declared, std::string& body) {
  if (declared > kMaxBody) return false;
  char buf[16384];
  for (;;) {
    int got = mg_read(conn, buf, sizeof buf);
    if (got < 0) return false;
    if (got == 0) return true;
    body.append(buf, static_cast<size_t>(got));
    if (static_cast<long long>(body.size()) > kMaxBody) return false;
  }
}

int onRequest(mg_connection* conn, void* data) {
  auto& registry = *static_cast<Registry*>(data);
  const mg_request_info* info = mg_get_request_info(conn);
  Request request;
  request.method = info->request_method ? info->request_method : "";
  request.path = info->local_uri ? info->local_uri : "/";
  request.query = info->query_string ? info->query_string : "";
  if (!readBody(conn, info->content_length, request.body)) {
    send(conn, error(413, "request body over 8 MiB"));
    return 413;
  }
  Response response;
  try {
    response = registry.handle(request);
  } catch (const std::exception& e) {  // a bug must not take the cluster down with it
    response = error(500, std::string("internal error: ") + e.what());
  }
  send(conn, response);
  return response.status;
}

}  // namespace

RegistryServer::RegistryServer(Registry& registry, int port) : registry_(registry) {
  mg_init_library(0);
  std::string listen = "127.0.0.1:" + std::to_string(port);
  const char* options[] = {"listening_ports", listen.c_str(), "num_threads", "4", nullptr};
  mg_callbacks callbacks;
  std::memset(&callbacks, 0, sizeof callbacks);
  context_ = mg_start(&callbacks, nullptr, options);
  if (!context_) {
    error_ = "cannot listen on " + listen;
    return;
  }
  mg_set_request_handler(context_, "/", onRequest, &registry_);
}

RegistryServer::~RegistryServer() {
  if (context_) mg_stop(context_);
  mg_exit_library();
}

std::string RegistryServer::url() const {
  mg_server_port ports[4];
  int n = context_ ? mg_get_server_ports(context_, 4, ports) : 0;
  return n > 0 ? "http://127.0.0.1:" + std::to_string(ports[0].port) : "";
}

}  // namespace mesh::devkafka
