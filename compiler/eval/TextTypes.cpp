// TextTypes: the table of text-formatted types (see TextTypes.h).
#include "eval/TextTypes.h"

#include <optional>

#include "meshrt/formats.h"
#include "meshrt/messages.h"

namespace mesh::eval {
namespace {

using K = RValue::Kind;
using model::TypeKind;
namespace msg = meshrt::msg;
namespace word = meshrt::msg::word;

// What a parsed value is held as: a count of microseconds or days in `i`,
// bytes in `s`.
void hold(RValue& out, std::string bytes) { out.s = std::move(bytes); }
void hold(RValue& out, const meshrt::Uuid& u) { out.s.assign(reinterpret_cast<const char*>(u.bytes), 16); }
void hold(RValue& out, meshrt::Timestamp t) { out.i = t.micros; }
void hold(RValue& out, meshrt::Date d) { out.i = d.days; }
void hold(RValue& out, meshrt::Duration d) { out.i = d.micros; }

template <auto parse>
bool parseWith(std::string_view text, RValue& out) {
  auto v = parse(text);
  if (v) hold(out, std::move(*v));
  return v.has_value();
}

std::string heldBytes(const RValue& v) { return v.s; }

// In TypeKind order.
const TextType kTextTypes[] = {
    {TypeKind::Bytes, K::Bytes, word::kBase64, msg::kNotBase64, parseWith<meshrt::decodeBase64>, heldBytes},
    {TypeKind::Timestamp, K::Timestamp, word::kTimestamp, msg::kNotTimestamp, parseWith<meshrt::parseTimestamp>,
     [](const RValue& v) { return meshrt::formatTimestamp(meshrt::Timestamp{v.i}); }},
    {TypeKind::Date, K::Date, word::kDate, msg::kNotDate, parseWith<meshrt::parseDate>,
     [](const RValue& v) { return meshrt::formatDate(meshrt::Date{static_cast<int32_t>(v.i)}); }},
    // Shown as a contract spells it (5m), as policies are written.
    {TypeKind::Duration, K::Duration, word::kDuration, msg::kNotDuration, parseWith<meshrt::parseIsoDuration>,
     [](const RValue& v) { return model::durationText(v.i); }},
    {TypeKind::Uuid, K::Uuid, word::kUuid, msg::kNotUuid, parseWith<meshrt::parseUuid>, heldBytes},
};

}  // namespace

const TextType* textType(model::TypeKind type) {
  for (const TextType& t : kTextTypes)
    if (t.type == type) return &t;
  return nullptr;
}

const TextType* textType(RValue::Kind kind) {
  for (const TextType& t : kTextTypes)
    if (t.kind == kind) return &t;
  return nullptr;
}

RValue textValue(const TextType& t, std::string_view text) {
  RValue out{.kind = t.kind};
  t.parse(text, out);
  return out;
}

}  // namespace mesh::eval
