// Registry: mesh-devkafka's schema registry (toolchain.md section 4,
// docs/registry.md): Confluent's REST API over an in-memory store, for
// development and tests. This part is the API without the transport:
// a request (method, path, query, body) in, a status and a JSON body out.
// Http.cpp serves it.
#pragma once

#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace mesh::devkafka {

/// What the registry needs to know about Avro (meshrt/avro_schema.h).
struct SchemaRules {
  /// The schema's Parsing Canonical Form: two registrations with one form
  /// are one schema (one id). Empty with `error` set when the text is no
  /// valid Avro schema.
  std::function<std::string(const std::string& schema, std::string& error)> canonical;
  /// Why data written with `writer` cannot be read with `reader`, one
  /// message per incompatibility; empty when it can.
  std::function<std::vector<std::string>(const std::string& reader, const std::string& writer)> incompatibilities;
};

struct Request {
  std::string method;  // GET, POST, PUT, DELETE
  std::string path;    // percent-decoded, without the query
  std::string query;   // as sent, without '?'
  std::string body;
};

struct Response {
  int status = 200;
  std::string body;  // JSON
};

class Registry {
 public:
  explicit Registry(SchemaRules rules) : rules_(std::move(rules)) {}

  /// Answers one request; safe from several threads.
  Response handle(const Request& request);

 private:
  struct Version {
    int version;
    int id;
    bool deleted = false;
  };
  struct Subject {
    std::vector<Version> versions;
    std::optional<std::string> compatibility;  // the subject's own level
  };
  struct Schema {
    std::string text;       // as first registered
    std::string canonical;  // its Parsing Canonical Form
  };

  // ---- the resources (Registry.cpp)
  Response subjects(const Request& r, const std::vector<std::string>& parts);
  Response versions(const Request& r, const std::string& subject, const std::vector<std::string>& parts);
  Response registerSchema(const std::string& subject, const std::string& body);
  Response lookup(const std::string& subject, const std::string& body);
  Response deleteSubject(const std::string& subject, bool permanent);
  Response deleteVersion(const std::string& subject, const std::string& version, bool permanent);
  Response schemaById(const Request& r, const std::vector<std::string>& parts);
  Response config(const Request& r, const std::vector<std::string>& parts);
  Response compatibility(const Request& r, const std::vector<std::string>& parts);

  // ---- helpers
  /// The schema text of a request body ({"schema": "...", "schemaType":
  /// "AVRO"?, "references": []?}) and its canonical form, or the error response.
  std::optional<Response> readSchema(const std::string& body, std::string& text, std::string& canonical) const;
  /// The live versions of `subject`, or null when it has none.
  const Subject* live(const std::string& subject) const;
  /// The version named `spec` ("latest", "-1" or a number), or the error response.
  std::optional<Response> findVersion(const std::string& subject, const std::string& spec, const Version*& out) const;
  std::string levelOf(const std::string& subject) const;
  /// The incompatibilities of `canonical` with the versions `level` tests
  /// it against (the latest, or every one for the _TRANSITIVE levels).
  std::vector<std::string> check(const std::string& subject, const std::string& text, const std::string& level) const;
  /// The incompatibilities of `text` with one `old` version under `level`.
  std::vector<std::string> against(const std::string& text, const std::string& old, const std::string& level) const;
  Response versionBody(const std::string& subject, const Version& v) const;

  SchemaRules rules_;
  mutable std::mutex mutex_;
  std::map<std::string, Subject> subjects_;
  std::vector<Schema> schemas_;  // by id - 1
  std::string globalLevel_ = "BACKWARD";
};

/// {"error_code": CODE, "message": MESSAGE} with HTTP status CODE's first three digits.
Response error(int code, const std::string& message);

/// The rules of Avro, from meshrt's schema library (AvroRules.cpp).
SchemaRules avroRules();

}  // namespace mesh::devkafka
