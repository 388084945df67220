// meshrt/runtime.h: everything generated code includes, and the version the
// generated code checks it was generated for.
//
// C++17: generated code includes this header.
#pragma once

#define MESHRT_ABI 1

#include <chrono>
#include <cstdint>
#include <functional>
#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "meshrt/decimal.h"
#include "meshrt/expr.h"
#include "meshrt/formats.h"
#include "meshrt/json_read.h"
#include "meshrt/json_write.h"
#include "meshrt/limits.h"
#include "meshrt/regex.h"
#include "meshrt/report.h"

namespace meshrt {

/// The MESH_* variables meshrt reads, checked: why the first one that is set
/// to a value meshrt cannot use is refused (MESH_NOW not an RFC 3339
/// timestamp, MESH_MASK_KEY empty), naming it and the expected format; else
/// nothing. The generated mains refuse to start on one (exit 2).
std::optional<std::string> environmentError();
/// The same for MESH_NOW alone (what meshc reads of these).
std::optional<std::string> nowEnvironmentError();

/// What now() returns for the message being validated: MESH_NOW (an RFC 3339
/// timestamp) when set at the first call (read once per process), else the
/// system clock. Throws std::invalid_argument when MESH_NOW is set to
/// anything else (see environmentError).
int64_t nowMicros();
/// The same for a system-clock reading already taken (the gate times each
/// validation with the reading its now() comes from: one clock read fewer).
int64_t nowMicros(std::chrono::system_clock::time_point wall);

/// The loop of `meshc validate` and `mesh-validate`, shared so both frame
/// their output the same way: one result line per input line (JSON Lines),
/// now() read per message. A line longer than kMaxMessageLine gets one
/// `parse` violation at `$` and ends the reading (its end may never come:
/// /dev/zero), with a note on stderr after `tool` ("meshc"). Returns 0 when
/// every message is valid, 1 when one is not or a line was too long, 2
/// when reading failed.
int validateJsonLines(std::istream& in, std::ostream& out,
                      const std::function<void(std::string_view, std::vector<Violation>&, int64_t)>& validate,
                      std::string_view tool);

/// A product or record mesh-validate knows: its qualified name and the
/// generated parse function.
struct ValidateTarget {
  const char* name;
  bool (*validate)(std::string_view json, std::vector<Violation>& violations, int64_t nowMicros);
};

/// The whole of `mesh-validate --product NAME [FILE|-]` (generated mains call
/// it with their table): exit 0 all valid, 1 some invalid, 2 usage or I/O.
int validateMain(int argc, char** argv, const ValidateTarget* targets, size_t count);

// ---------------------------------------------------------------- JSON writing

void writeNumber(std::string& out, int64_t v);
void writeNumber(std::string& out, double v);  // shortest round-trip form
inline void writeString(std::string& out, std::string_view s) { appendJsonString(out, s); }

// ---------------------------------------------------------------- masking (toolchain.md section 3)

/// HMAC-SHA-256 of the value with the key in MESH_MASK_KEY, lower-case hex.
/// Throws std::invalid_argument when MESH_MASK_KEY is set but empty.
std::string maskHash(std::string_view value);
/// "***".
std::string maskRedact(std::string_view value);
/// A json value as a whole: the JSON string "***" (its text is not looked into).
Json maskRedact(const Json& value);
/// The last `keep` code points, every earlier one replaced by '*'.
std::string maskLast(std::string_view value, int64_t keep);

}  // namespace meshrt
