// dead_letter.cpp: the gate's headers and its dead letters of messages too
// large to send whole.
#include "dead_letter.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <cstring>

#include "meshrt/report.h"

namespace meshrt {

std::string violationsJson(const std::vector<Violation>& violations, size_t limit) {
  std::string out = "[";
  for (size_t i = 0; i < violations.size(); ++i) {
    size_t before = out.size();
    if (i) out += ',';
    out += "{\"path\":";
    appendJsonString(out, violations[i].path);
    out += ",\"rule\":\"";
    out += ruleName(violations[i].rule);
    out += "\",\"message\":";
    appendJsonString(out, violations[i].message);
    out += '}';
    if (out.size() > limit) {
      out.resize(before);
      if (i) out += ',';
      out += "{\"path\":\"$\",\"rule\":\"cut\",\"message\":\"" + std::to_string(violations.size() - i) +
             " more violations not listed\"}";
      break;
    }
  }
  return out + "]";
}

namespace {

// Appends an entry of the gate's own (rule "cut": what a dead letter lost to
// fit the producer's message.max.bytes) to a `mesh-violations` array.
void appendCut(std::string& json, const std::string& message) {
  json.pop_back();  // the closing ']'
  if (json.size() > 1) json += ',';
  json += "{\"path\":\"$\",\"rule\":\"cut\",\"message\":";
  appendJsonString(json, message);
  json += "}]";
}

// The headers the gate writes (docs/gate.md). A message's own copies of them,
// forged by its producer or left by another gate, are removed before it is
// forwarded or dead-lettered, so a reader can trust them. Producer-stamped
// mesh-contract, mesh-version and mesh-schema are the producer's and kept.
constexpr std::array<const char*, 3> kOwnedHeaders = {"mesh-violations", "mesh-source", "mesh-too-large"};

bool hasOwnedHeader(const rd_kafka_headers_t* headers) {
  const char* name;
  const void* value;
  size_t size;
  for (size_t i = 0; !rd_kafka_header_get_all(headers, i, &name, &value, &size); ++i)
    if (std::strncmp(name, "mesh-", 5) == 0)
      for (const char* owned : kOwnedHeaders)
        if (std::strcmp(name, owned) == 0) return true;
  return false;
}

}  // namespace

rd_kafka_headers_t* forwardedHeaders(const rd_kafka_headers_t* headers) {
  rd_kafka_headers_t* copy = rd_kafka_headers_copy(headers);
  if (hasOwnedHeader(headers))
    for (const char* owned : kOwnedHeaders) rd_kafka_header_remove(copy, owned);
  return copy;
}

rd_kafka_resp_err_t deadLetterTooLarge(const rd_kafka_message_t* m, const rd_kafka_headers_t* headers,
                                       const std::vector<Violation>& violations, size_t valueSize, size_t maxBytes,
                                       const std::string& topic, const SendDeadLetter& send) {
  const std::string where =
      std::string(rd_kafka_topic_name(m->rkt)) + "/" + std::to_string(m->partition) + "/" + std::to_string(m->offset);
  const std::string bytes = std::to_string(valueSize);
  const size_t keptKey = std::min<size_t>(1024, maxBytes / 4);
  size_t keyLength = m->key_len;
  bool ownHeaders = headers != nullptr;
  size_t violationsLimit = SIZE_MAX;
  std::vector<std::string> cuts;
  rd_kafka_resp_err_t e = RD_KAFKA_RESP_ERR_MSG_SIZE_TOO_LARGE;
  for (int step = 0; step < 4 && e == RD_KAFKA_RESP_ERR_MSG_SIZE_TOO_LARGE; ++step) {
    if (step == 1 && keyLength > keptKey) {
      cuts.push_back("key of " + std::to_string(keyLength) + " bytes cut to its first " + std::to_string(keptKey));
      keyLength = keptKey;
    } else if (step == 2 && ownHeaders && rd_kafka_header_cnt(headers)) {
      cuts.push_back("the message's " + std::to_string(rd_kafka_header_cnt(headers)) + " headers dropped");
      ownHeaders = false;
    } else if (step == 3 && !violations.empty()) {
      violationsLimit = maxBytes / 2;
    } else if (step) {
      continue;  // nothing to cut at this step
    }
    std::string json = violationsJson(violations, violationsLimit);
    for (const std::string& cut : cuts)
      appendCut(json, cut + " (the dead letter must fit message.max.bytes, " + std::to_string(maxBytes) + ")");
    rd_kafka_headers_t* out = ownHeaders ? forwardedHeaders(headers) : rd_kafka_headers_new(3);
    if (json.size() > 2) rd_kafka_header_add(out, "mesh-violations", -1, json.data(), json.size());
    rd_kafka_header_add(out, "mesh-too-large", -1, bytes.data(), bytes.size());
    rd_kafka_header_add(out, "mesh-source", -1, where.data(), where.size());
    if ((e = send(out, keyLength))) rd_kafka_headers_destroy(out);
  }
  std::string cut;
  for (const std::string& c : cuts) cut += "; " + c;
  std::fprintf(stderr, "mesh-gate: %s (%zu bytes) is too large for '%s': %s without its value%s\n", where.c_str(),
               valueSize, topic.c_str(), e ? "cannot even dead-letter it" : "dead-lettered", cut.c_str());
  return e;
}

}  // namespace meshrt
