// Exercises the generated C++ of tests/lit/unions/Inputs/unions.mesh: an
// anonymous union is a std::variant holding the alternative the JSON kind
// picked (std::monostate for null), a tagged union a struct deriving from
// the std::variant of its records, holding the record its discriminator
// picked; to_json writes what parses back to the same value, and in-memory
// validation reports a record whose discriminator names no case of its
// alternative. Built and run by tests/codegen/run.py.
#include <cstdio>
#include <string>
#include <type_traits>
#include <variant>

#include "u.mesh.h"

namespace {
const char* const kMessage =
    "{\"id\":\"e1\",\"created_at\":\"2026-11-25T10:00:00Z\",\"description\":null,\"note\":5,"
    "\"tags\":[\"a\",true],\"star\":{\"repo\":\"r\",\"action\":\"created\",\"starred_at\":\"2026-11-25T10:00:00Z\"},"
    "\"wire\":{\"kind\":\"pong\",\"n\":2}}";
}  // namespace

static_assert(std::is_base_of_v<std::variant<u::StarCreated, u::StarDeleted>, u::StarEvent>,
              "a tagged union is a std::variant of its records");

int main() {
  int failures = 0;
  auto expect = [&failures](bool ok, const char* what) { failures += ok ? 0 : (std::printf("FAILED: %s\n", what), 1); };
  std::vector<meshrt::Violation> v;
  u::Event e;
  expect(u::parse(kMessage, e, v, 0) && v.empty(), "the message parses");
  expect(e.created_at.index() == 1, "a string picks timestamp in int64 | timestamp");
  expect(std::holds_alternative<std::monostate>(e.description), "null is std::monostate in string | null");
  expect(e.note && std::get<1>(*e.note) == 5, "a number picks int32 in (string | int32)?");
  expect(e.tags.size() == 2 && std::get<0>(e.tags[0]) == "a" && std::get<1>(e.tags[1]),
         "list elements hold their own alternatives");
  expect(e.star.index() == 0 && std::get<0>(e.star).repo == "r", "the discriminator picks StarCreated");
  expect(e.wire.index() == 0 && std::get<0>(e.wire).index() == 1 && std::get<1>(std::get<0>(e.wire)).n == 2,
         "a tagged union inside an anonymous one picks Pong");

  std::string written = u::to_json(e);
  u::Event again;
  expect(u::parse(written, again, v, 0) && v.empty(), "to_json's text parses");
  if (!v.empty()) std::printf("  %s: %s\n", v[0].path.c_str(), v[0].message.c_str());
  expect(u::to_json(again) == written && u::sameRecord(e, again), "and reads back to the same value");

  // A union built in memory: the writer writes each alternative's form.
  u::Event built = e;
  built.created_at = int64_t{1700000000};
  built.description = std::string("d");
  built.note.reset();
  built.star = u::StarDeleted{u::Action::deleted, std::nullopt};
  built.wire = std::monostate{};
  std::string text = u::to_json(built);
  expect(text.find("\"created_at\":1700000000,\"description\":\"d\",") != std::string::npos,
         "int64 and string alternatives are written as such");
  expect(text.find("\"star\":{\"action\":\"deleted\"},\"wire\":null") != std::string::npos,
         "a tagged union writes its record, a null alternative null");
  expect(text.find("\"note\"") == std::string::npos, "an absent optional union is left out");
  expect(u::validate(built, v, 0) && v.empty(), "the built value is valid");

  // StarCreated whose discriminator says "deleted": reading its JSON would
  // pick StarDeleted, so validation says it is no case of its alternative.
  built.star = u::StarCreated{u::Action::deleted, meshrt::Timestamp{}, "repo"};
  v.clear();
  expect(!u::validate(built, v, 0) && v.size() == 1 && v[0].path == "$.star.action" &&
             v[0].rule == meshrt::Rule::Type && v[0].message == "not a case of StarEvent",
         "a record whose discriminator picks another case is a type violation");
  return failures ? 1 : 0;
}
