// Registry: Confluent's schema registry REST API over an in-memory store
// (see Registry.h; the endpoints and what each answers: docs/registry.md).
#include "registry/Registry.h"

#include <algorithm>
#include <nlohmann/json.hpp>

namespace mesh::devkafka {

using json = nlohmann::json;

namespace {

const char* const kLevels[] = {"NONE", "BACKWARD",       "BACKWARD_TRANSITIVE", "FORWARD", "FORWARD_TRANSITIVE",
                               "FULL", "FULL_TRANSITIVE"};

// A subject is any bytes of the path: invalid UTF-8 in a reply is replaced,
// never an exception.
std::string serialized(const json& body) { return body.dump(-1, ' ', false, json::error_handler_t::replace); }

Response ok(const json& body) { return {200, serialized(body)}; }

std::vector<std::string> split(const std::string& path) {
  std::vector<std::string> parts;
  size_t start = 0;
  while (start < path.size()) {
    size_t slash = path.find('/', start);
    if (slash == std::string::npos) slash = path.size();
    if (slash > start) parts.push_back(path.substr(start, slash - start));
    start = slash + 1;
  }
  return parts;
}

/// A query parameter set to "true" (`?permanent=true`).
bool flag(const std::string& query, const std::string& name) {
  size_t at = 0;
  std::string want = name + "=true";
  while ((at = query.find(want, at)) != std::string::npos) {
    bool starts = at == 0 || query[at - 1] == '&';
    bool ends = at + want.size() == query.size() || query[at + want.size()] == '&';
    if (starts && ends) return true;
    at += want.size();
  }
  return false;
}

std::optional<int> number(const std::string& s) {
  if (s.empty() || s.size() > 9 || !std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; }))
    return std::nullopt;
  return std::stoi(s);
}

Response notFound() { return error(404, "HTTP 404 Not Found"); }
Response badMethod() { return error(405, "HTTP 405 Method Not Allowed"); }

}  // namespace

Response error(int code, const std::string& message) {
  int status = code;
  while (status >= 1000) status /= 10;
  return {status, serialized(json{{"error_code", code}, {"message", message}})};
}

Response Registry::handle(const Request& r) {
  std::lock_guard<std::mutex> lock(mutex_);
  std::vector<std::string> parts = split(r.path);
  if (parts.empty()) return r.method == "GET" ? ok(json::object()) : badMethod();
  if (parts[0] == "subjects") return subjects(r, parts);
  if (parts[0] == "schemas") return schemaById(r, parts);
  if (parts[0] == "config") return config(r, parts);
  if (parts[0] == "compatibility") return compatibility(r, parts);
  return notFound();
}

// ------------------------------------------------------------ subjects

Response Registry::subjects(const Request& r, const std::vector<std::string>& parts) {
  if (parts.size() == 1) {
    if (r.method != "GET") return badMethod();
    json names = json::array();
    bool deleted = flag(r.query, "deleted");
    for (const auto& [name, s] : subjects_)
      if (deleted || live(name)) names.push_back(name);
    return ok(names);
  }
  const std::string& subject = parts[1];
  if (parts.size() == 2) {
    if (r.method == "POST") return lookup(subject, r.body);
    if (r.method == "DELETE") return deleteSubject(subject, flag(r.query, "permanent"));
    return badMethod();
  }
  if (parts[2] != "versions" || parts.size() > 5) return notFound();
  return versions(r, subject, parts);
}

Response Registry::versions(const Request& r, const std::string& subject, const std::vector<std::string>& parts) {
  if (parts.size() == 3) {
    if (r.method == "POST") return registerSchema(subject, r.body);
    if (r.method != "GET") return badMethod();
    const Subject* s = live(subject);
    if (!s) return error(40401, "Subject '" + subject + "' not found.");
    json list = json::array();
    for (const Version& v : s->versions)
      if (!v.deleted) list.push_back(v.version);
    return ok(list);
  }
  if (r.method == "DELETE" && parts.size() == 4) return deleteVersion(subject, parts[3], flag(r.query, "permanent"));
  if (r.method != "GET") return badMethod();
  const Version* v = nullptr;
  if (auto failed = findVersion(subject, parts[3], v)) return *failed;
  if (parts.size() == 5) {
    if (parts[4] != "schema") return notFound();
    return {200, schemas_[v->id - 1].text};
  }
  return versionBody(subject, *v);
}

Response Registry::registerSchema(const std::string& subject, const std::string& body) {
  std::string text, canonical;
  if (auto failed = readSchema(body, text, canonical)) return *failed;
  Subject& s = subjects_[subject];
  for (const Version& v : s.versions)
    if (!v.deleted && schemas_[v.id - 1].canonical == canonical) return ok(json{{"id", v.id}});
  std::vector<std::string> problems = check(subject, text, levelOf(subject));
  if (!problems.empty())
    return error(409, "Schema being registered is incompatible with an earlier schema for subject \"" + subject +
                          "\", details: " + serialized(json(problems)));
  int id = 0;
  for (size_t i = 0; i < schemas_.size() && !id; ++i)
    if (schemas_[i].canonical == canonical) id = static_cast<int>(i) + 1;
  if (!id) {
    schemas_.push_back({text, canonical});
    id = static_cast<int>(schemas_.size());
  }
  int next = s.versions.empty() ? 1 : s.versions.back().version + 1;
  s.versions.push_back({next, id});
  return ok(json{{"id", id}});
}

Response Registry::lookup(const std::string& subject, const std::string& body) {
  std::string text, canonical;
  if (auto failed = readSchema(body, text, canonical)) return *failed;
  const Subject* s = live(subject);
  if (!s) return error(40401, "Subject '" + subject + "' not found.");
  for (const Version& v : s->versions)
    if (!v.deleted && schemas_[v.id - 1].canonical == canonical) return versionBody(subject, v);
  return error(40403, "Schema not found");
}

Response Registry::deleteSubject(const std::string& subject, bool permanent) {
  auto it = subjects_.find(subject);
  if (it == subjects_.end()) return error(40401, "Subject '" + subject + "' not found.");
  json gone = json::array();
  if (permanent) {
    if (live(subject))
      return error(40405, "Subject '" + subject + "' was not deleted first before being permanently deleted");
    for (const Version& v : it->second.versions) gone.push_back(v.version);
    subjects_.erase(it);
    return ok(gone);
  }
  if (!live(subject))
    return error(40404, "Subject '" + subject + "' was soft deleted.Set permanent=true to delete permanently");
  for (Version& v : it->second.versions)
    if (!v.deleted) {
      v.deleted = true;
      gone.push_back(v.version);
    }
  return ok(gone);
}

Response Registry::deleteVersion(const std::string& subject, const std::string& spec, bool permanent) {
  auto it = subjects_.find(subject);
  if (it == subjects_.end()) return error(40401, "Subject '" + subject + "' not found.");
  std::optional<int> n = spec == "latest" || spec == "-1" ? std::optional<int>() : number(spec);
  if (!n && spec != "latest" && spec != "-1")
    return error(42202, "The specified version '" + spec + "' is not a valid version id.");
  auto& versions = it->second.versions;
  auto found = std::find_if(versions.rbegin(), versions.rend(),
                            [&](const Version& v) { return n ? v.version == *n : !v.deleted; });
  if (found == versions.rend() || (!permanent && found->deleted))
    return error(40402, "Version " + spec + " not found.");
  int version = found->version;
  if (!permanent) {
    found->deleted = true;
  } else {
    if (!found->deleted)
      return error(40407, "Subject '" + subject + "' Version " + std::to_string(version) +
                              " was not deleted first before being permanently deleted");
    versions.erase(std::next(found).base());
  }
  return ok(version);
}

// ------------------------------------------------------------ schemas

Response Registry::schemaById(const Request& r, const std::vector<std::string>& parts) {
  if (r.method != "GET") return badMethod();
  if (parts.size() == 2 && parts[1] == "types") return ok(json::array({"AVRO"}));
  if (parts.size() < 3 || parts.size() > 4 || parts[1] != "ids") return notFound();
  std::optional<int> id = number(parts[2]);
  if (!id || *id < 1 || *id > static_cast<int>(schemas_.size()))
    return error(40403, "Schema " + parts[2] + " not found");
  if (parts.size() == 3) return ok(json{{"schema", schemas_[*id - 1].text}});
  if (parts[3] == "schema") return {200, schemas_[*id - 1].text};
  if (parts[3] != "versions") return notFound();
  json uses = json::array();
  for (const auto& [name, s] : subjects_)
    for (const Version& v : s.versions)
      if (v.id == *id && !v.deleted) uses.push_back(json{{"subject", name}, {"version", v.version}});
  return ok(uses);
}

// ------------------------------------------------------------ config

Response Registry::config(const Request& r, const std::vector<std::string>& parts) {
  if (parts.size() > 2) return notFound();
  std::optional<std::string> subject;
  if (parts.size() == 2) subject = parts[1];
  if (r.method == "GET") {
    if (!subject) return ok(json{{"compatibilityLevel", globalLevel_}});
    auto it = subjects_.find(*subject);
    if (it != subjects_.end() && it->second.compatibility)
      return ok(json{{"compatibilityLevel", *it->second.compatibility}});
    if (flag(r.query, "defaultToGlobal")) return ok(json{{"compatibilityLevel", globalLevel_}});
    return error(40408, "Subject '" + *subject + "' does not have subject-level compatibility configured");
  }
  if (r.method == "DELETE" && subject) {
    auto it = subjects_.find(*subject);
    if (it == subjects_.end() || !it->second.compatibility)
      return error(40401, "Subject '" + *subject + "' not found.");
    json was{{"compatibilityLevel", *it->second.compatibility}};
    it->second.compatibility.reset();
    return ok(was);
  }
  if (r.method != "PUT") return badMethod();
  json body = json::parse(r.body, nullptr, false);
  const json* level = body.is_object() && body.contains("compatibility") ? &body["compatibility"] : nullptr;
  std::string name = level && level->is_string() ? level->get<std::string>() : "";
  if (std::find(std::begin(kLevels), std::end(kLevels), name) == std::end(kLevels))
    return error(42203,
                 "Invalid compatibility level. Valid values are none, backward, forward, full, "
                 "backward_transitive, forward_transitive, and full_transitive");
  if (subject)
    subjects_[*subject].compatibility = name;
  else
    globalLevel_ = name;
  return ok(json{{"compatibility", name}});
}

// ------------------------------------------------------------ compatibility

Response Registry::compatibility(const Request& r, const std::vector<std::string>& parts) {
  if (parts.size() < 4 || parts.size() > 5 || parts[1] != "subjects" || parts[3] != "versions") return notFound();
  if (r.method != "POST") return badMethod();
  const std::string& subject = parts[2];
  std::string text, canonical;
  if (auto failed = readSchema(r.body, text, canonical)) return *failed;
  std::string level = levelOf(subject);
  std::vector<std::string> problems;
  if (parts.size() == 5) {
    const Version* v = nullptr;
    if (auto failed = findVersion(subject, parts[4], v)) return *failed;
    problems = against(text, schemas_[v->id - 1].text, level);
  } else {
    problems = check(subject, text, level);
  }
  json out{{"is_compatible", problems.empty()}};
  if (flag(r.query, "verbose")) out["messages"] = problems;
  return ok(out);
}

// ------------------------------------------------------------ helpers

std::optional<Response> Registry::readSchema(const std::string& body, std::string& text, std::string& canonical) const {
  json request = json::parse(body, nullptr, false);
  if (!request.is_object() || !request.contains("schema") || !request["schema"].is_string())
    return error(42201, "Invalid schema: the request needs a \"schema\" string");
  if (request.contains("schemaType") && request["schemaType"] != "AVRO")
    return error(42201, "Invalid schema: this registry holds AVRO schemas only");
  if (request.contains("references") && !(request["references"].is_array() && request["references"].empty()))
    return error(42201, "Invalid schema: schema references are not supported");
  text = request["schema"].get<std::string>();
  std::string why;
  canonical = rules_.canonical(text, why);
  if (canonical.empty()) return error(42201, "Invalid schema " + text + ", details: " + why);
  return std::nullopt;
}

const Registry::Subject* Registry::live(const std::string& subject) const {
  auto it = subjects_.find(subject);
  if (it == subjects_.end()) return nullptr;
  for (const Version& v : it->second.versions)
    if (!v.deleted) return &it->second;
  return nullptr;
}

std::optional<Response> Registry::findVersion(const std::string& subject, const std::string& spec,
                                              const Version*& out) const {
  const Subject* s = live(subject);
  if (!s) return error(40401, "Subject '" + subject + "' not found.");
  bool latest = spec == "latest" || spec == "-1";
  std::optional<int> n = number(spec);
  if (!latest && (!n || *n < 1))
    return error(42202, "The specified version '" + spec +
                            "' is not a valid version id. Allowed values are between "
                            "[1, 2^31-1] and the string \"latest\"");
  for (auto it = s->versions.rbegin(); it != s->versions.rend(); ++it)
    if (!it->deleted && (latest || it->version == *n)) {
      out = &*it;
      return std::nullopt;
    }
  return error(40402, "Version " + spec + " not found.");
}

std::string Registry::levelOf(const std::string& subject) const {
  auto it = subjects_.find(subject);
  return it != subjects_.end() && it->second.compatibility ? *it->second.compatibility : globalLevel_;
}

std::vector<std::string> Registry::check(const std::string& subject, const std::string& text,
                                         const std::string& level) const {
  std::vector<std::string> problems;
  const Subject* s = live(subject);
  if (!s || level == "NONE") return problems;
  bool transitive = level.find("_TRANSITIVE") != std::string::npos;
  for (auto it = s->versions.rbegin(); it != s->versions.rend(); ++it) {
    if (it->deleted) continue;
    for (std::string& m : against(text, schemas_[it->id - 1].text, level)) problems.push_back(std::move(m));
    if (!transitive) break;
  }
  return problems;
}

// BACKWARD: the new schema reads what the old one wrote; FORWARD: the old
// reads the new's; FULL: both (each with or without _TRANSITIVE).
std::vector<std::string> Registry::against(const std::string& text, const std::string& old,
                                           const std::string& level) const {
  std::vector<std::string> problems;
  bool full = level.rfind("FULL", 0) == 0;
  if (full || level.rfind("BACKWARD", 0) == 0) problems = rules_.incompatibilities(text, old);
  if (full || level.rfind("FORWARD", 0) == 0)
    for (std::string& m : rules_.incompatibilities(old, text)) problems.push_back(std::move(m));
  return problems;
}

Response Registry::versionBody(const std::string& subject, const Version& v) const {
  return ok(json{{"subject", subject}, {"version", v.version}, {"id", v.id}, {"schema", schemas_[v.id - 1].text}});
}

}  // namespace mesh::devkafka
