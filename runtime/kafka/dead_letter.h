// dead_letter.h: what mesh-gate writes besides the message (docs/gate.md):
// the `mesh-violations` header, the headers it owns, and the dead letter of
// a message too large for the producer.
#pragma once

#include <librdkafka/rdkafka.h>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "meshrt/runtime.h"

namespace meshrt {

// The violations as the `mesh-violations` JSON array; past `limit` bytes the
// rest is left out and a last entry says how many (only a dead letter too
// large to send whole asks for a limit).
std::string violationsJson(const std::vector<Violation>& violations, size_t limit = SIZE_MAX);

// A copy of a message's headers to send on, without the ones the gate owns
// (`mesh-violations`, `mesh-source`, `mesh-too-large`).
rd_kafka_headers_t* forwardedHeaders(const rd_kafka_headers_t* headers);

/// Produces a dead letter without the message's value: its headers (taken
/// over when it returns no error) and how much of the message's key to keep.
using SendDeadLetter = std::function<rd_kafka_resp_err_t(rd_kafka_headers_t* headers, size_t keyLength)>;

// A message too large for the producer (once the gate's headers are added,
// or masked) is dead-lettered without its value, with `mesh-too-large` (the
// value's size) and `mesh-source` (TOPIC/PARTITION/OFFSET, where the input
// topic keeps it). When even that does not fit message.max.bytes (a huge key,
// or headers adding up over it), more is cut in turn until it does: the key
// to its first bytes, the message's own headers, the violations list; each
// cut is a "cut" entry in `mesh-violations`. One message must not stop the
// gate: before this, every restart re-read the batch and died on it again.
// `topic` is where the message was meant to go (for the log line).
rd_kafka_resp_err_t deadLetterTooLarge(const rd_kafka_message_t* m, const rd_kafka_headers_t* headers,
                                       const std::vector<Violation>& violations, size_t valueSize, size_t maxBytes,
                                       const std::string& topic, const SendDeadLetter& send);

}  // namespace meshrt
