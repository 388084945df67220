// TextTypes: the table of text-formatted types (see TextTypes.h).
#include "eval/TextTypes.h"

#include <optional>

#include "meshrt/formats.h"

namespace mesh::eval {
namespace {

using K = RValue::Kind;
using model::TypeKind;

// What a parsed value is held as: a count of microseconds or days in `i`,
// bytes in `s`.
void hold(RValue& out, std::string bytes) { out.s = std::move(bytes); }
void hold(RValue& out, const meshrt::Uuid& u) { out.s.assign(reinterpret_cast<const char*>(u.bytes), 16); }
void hold(RValue& out, meshrt::Timestamp t) { out.i = t.micros; }
void hold(RValue& out, meshrt::Date d) { out.i = d.days; }
void hold(RValue& out, meshrt::Duration d) { out.i = d.micros; }

// A row read from the runtime's format of the type: the reader's words and
// its parser (meshrt/formats.h), the value held as above.
template <typename Format>
TextType row(TypeKind type, K kind, std::string (*show)(const RValue&)) {
  auto parse = [](std::string_view text, RValue& out) {
    auto v = Format::parse(text);
    if (v) hold(out, std::move(*v));
    return v.has_value();
  };
  return {type, kind, Format::kWord, Format::kNotA, parse, show};
}

std::string heldBytes(const RValue& v) { return v.s; }

// In TypeKind order.
const TextType kTextTypes[] = {
    row<meshrt::Base64Format>(TypeKind::Bytes, K::Bytes, heldBytes),
    row<meshrt::TextFormat<meshrt::Timestamp>>(
        TypeKind::Timestamp, K::Timestamp,
        [](const RValue& v) { return meshrt::formatTimestamp(meshrt::Timestamp{v.i}); }),
    row<meshrt::TextFormat<meshrt::Date>>(
        TypeKind::Date, K::Date,
        [](const RValue& v) { return meshrt::formatDate(meshrt::Date{static_cast<int32_t>(v.i)}); }),
    // Shown as a contract spells it (5m), as policies are written.
    row<meshrt::TextFormat<meshrt::Duration>>(TypeKind::Duration, K::Duration,
                                              [](const RValue& v) { return model::durationText(v.i); }),
    row<meshrt::TextFormat<meshrt::Uuid>>(TypeKind::Uuid, K::Uuid, heldBytes),
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
