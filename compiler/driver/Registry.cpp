// Registry: `meshc registry push|check` over Confluent's REST API, with
// libcurl (see Registry.h).
#include "driver/Registry.h"

#include <curl/curl.h>
#include <fmt/format.h>

#include <cstdlib>
#include <memory>
#include <nlohmann/json.hpp>

#include "model/AvroSchema.h"
#include "support/Text.h"

namespace mesh::driver {
namespace {

using json = nlohmann::json;

// A registry's answers are small; a larger one is cut off and refused.
constexpr size_t kMaxResponse = 16u << 20;

struct Reply {
  long status = 0;  // 0: no HTTP answer (`error` says why)
  std::string body;
  std::string error;
};

size_t collect(char* data, size_t size, size_t count, void* user) {
  auto& body = *static_cast<std::string*>(user);
  if (body.size() + size * count > kMaxResponse) return 0;  // libcurl stops with CURLE_WRITE_ERROR
  body.append(data, size * count);
  return size * count;
}

/// POSTs `body` (JSON) to the registry's `path`.
Reply post(const RegistryEndpoint& endpoint, const std::string& path, const std::string& body) {
  static const bool initialized = curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK;
  Reply reply;
  std::unique_ptr<CURL, void (*)(CURL*)> curl(initialized ? curl_easy_init() : nullptr, curl_easy_cleanup);
  if (!curl) {
    reply.error = "cannot start libcurl";
    return reply;
  }
  std::unique_ptr<curl_slist, void (*)(curl_slist*)> headers(
      curl_slist_append(nullptr, "Content-Type: application/vnd.schemaregistry.v1+json"), curl_slist_free_all);
  std::string url = endpoint.url + path;
  CURL* c = curl.get();
  curl_easy_setopt(c, CURLOPT_URL, url.c_str());
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers.get());
  curl_easy_setopt(c, CURLOPT_POSTFIELDS, body.c_str());
  curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, collect);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &reply.body);
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 10L);
  curl_easy_setopt(c, CURLOPT_TIMEOUT, 60L);
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
  if (endpoint.auth) {
    curl_easy_setopt(c, CURLOPT_HTTPAUTH, CURLAUTH_BASIC);
    curl_easy_setopt(c, CURLOPT_USERPWD, endpoint.auth->c_str());
  }
  CURLcode code = curl_easy_perform(c);
  if (code != CURLE_OK) {
    reply.error = curl_easy_strerror(code);
    return reply;
  }
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &reply.status);
  return reply;
}

/// A path segment with everything but unreserved characters %-encoded.
std::string escape(const std::string& segment) {
  std::string out;
  for (unsigned char c : segment) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~')
      out += static_cast<char>(c);
    else
      out += fmt::format("%{:02X}", c);
  }
  return out;
}

/// The registry's message in an error answer, else the status and the body's start.
std::string messageOf(const Reply& r) {
  json body = json::parse(r.body, nullptr, false);
  if (body.is_object() && body.contains("message") && body["message"].is_string())
    return escapeControlCharacters(body["message"].get<std::string>());
  return fmt::format("HTTP {}: {}", r.status, escapeControlCharacters(r.body.substr(0, 200)));
}

/// The JSON of a 200 answer, or null after reporting what went wrong.
json answer(const Reply& r, const std::string& subject, llvm::raw_ostream& err, int& status) {
  if (r.status == 0) {
    err << "meshc: the schema registry did not answer: " << r.error << "\n";
    status = std::max(status, 2);
    return nullptr;
  }
  json body = json::parse(r.body, nullptr, false);
  if (r.status == 200 && !body.is_discarded()) return body;
  bool refused = r.status == 409 || r.status == 422;
  err << "meshc: " << subject << ": " << (refused ? "refused by the schema registry: " : "schema registry error: ")
      << messageOf(r) << "\n";
  status = std::max(status, refused ? 1 : 2);
  return nullptr;
}

void push(const RegistryEndpoint& e, const std::string& subject, const std::string& body, llvm::raw_ostream& out,
          llvm::raw_ostream& err, int& status) {
  json registered = answer(post(e, "/subjects/" + escape(subject) + "/versions", body), subject, err, status);
  if (registered.is_null()) return;
  json found = answer(post(e, "/subjects/" + escape(subject), body), subject, err, status);
  if (found.is_null()) return;
  out << subject << " " << registered.value("id", 0) << " " << found.value("version", 0) << "\n";
}

void check(const RegistryEndpoint& e, const std::string& subject, const std::string& body, llvm::raw_ostream& out,
           llvm::raw_ostream& err, int& status) {
  Reply r = post(e, "/compatibility/subjects/" + escape(subject) + "/versions/latest?verbose=true", body);
  json verdict = json::parse(r.body, nullptr, false);
  if (r.status == 404 && verdict.is_object() && verdict.value("error_code", 0) == 40401) {
    out << subject << " new\n";  // nothing registered yet: any schema may be its first
    return;
  }
  verdict = answer(r, subject, err, status);
  if (verdict.is_null()) return;
  if (verdict.value("is_compatible", false)) {
    out << subject << " compatible\n";
    return;
  }
  out << subject << " incompatible\n";
  err << "meshc: " << subject << ": incompatible with the registered schema\n";
  if (verdict.contains("messages") && verdict["messages"].is_array())
    for (const auto& m : verdict["messages"])
      if (m.is_string()) err << "  " << escapeControlCharacters(m.get<std::string>()) << "\n";
  status = std::max(status, 1);
}

}  // namespace

std::optional<RegistryEndpoint> registryEndpoint(const std::string& flag, const std::string& file, std::string& error) {
  const char* env = std::getenv("MESH_SCHEMA_REGISTRY_URL");
  std::string url = !flag.empty() ? flag : env && *env ? env : file;
  if (url.empty()) {
    error = "no schema registry: give --registry URL, MESH_SCHEMA_REGISTRY_URL or `registry:` in mesh.yaml";
    return std::nullopt;
  }
  if (url.rfind("http://", 0) != 0 && url.rfind("https://", 0) != 0) {
    error = fmt::format("the schema registry URL '{}' is not http:// or https://", escapeControlCharacters(url));
    return std::nullopt;
  }
  while (!url.empty() && url.back() == '/') url.pop_back();
  RegistryEndpoint endpoint{url, std::nullopt};
  if (const char* auth = std::getenv("MESH_SCHEMA_REGISTRY_AUTH"); auth && *auth) endpoint.auth = auth;
  return endpoint;
}

std::string subjectOf(const model::Product& p) {
  const std::string& record = p.schemaUnion ? p.schemaUnion->qualifiedName : p.schema->qualifiedName;
  if (p.topic.subject == "record") return record;
  if (p.topic.subject == "topic_record") return p.topic.name + "-" + record;
  return p.topic.name + "-value";
}

int runRegistry(bool pushing, const RegistryEndpoint& endpoint, const std::vector<const model::Product*>& products,
                llvm::raw_ostream& out, llvm::raw_ostream& err) {
  int status = 0;
  size_t avro = 0;
  for (const model::Product* p : products) {
    if (p->topic.format != "avro") continue;
    ++avro;
    std::string schema = model::avro::text(model::avro::productSchema(*p).value);
    std::string body = json{{"schema", schema}}.dump(-1, ' ', false, json::error_handler_t::replace);
    if (pushing)
      push(endpoint, subjectOf(*p), body, out, err, status);
    else
      check(endpoint, subjectOf(*p), body, out, err, status);
    if (status == 2) break;  // the registry cannot be asked: the rest would fail the same way
  }
  if (avro == 0)
    err << "meshc: no product of the build is `format avro`: nothing to " << (pushing ? "push" : "check") << "\n";
  return status;
}

}  // namespace mesh::driver
