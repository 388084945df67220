// What the fuzz targets (tests/fuzz) found, pinned at the unit it was fixed
// in. The inputs themselves are replayed by ctest fuzz-replay-*.
#include <doctest/doctest.h>

#include <string>

#include "eval/Json.h"
#include "meshrt/json_read.h"

using namespace std::string_literals;

TEST_CASE("the reference JSON reader refuses a NUL byte anywhere (nlohmann took it for the end)") {
  CHECK(mesh::eval::parseJson(R"({"a":1})").has_value());
  CHECK_FALSE(mesh::eval::parseJson("{\"a\":1}\0"s).has_value());
  CHECK_FALSE(mesh::eval::parseJson("{\"a\":1}\0garbage"s).has_value());
  CHECK_FALSE(mesh::eval::parseJson("\0{\"a\":1}"s).has_value());
  CHECK_FALSE(mesh::eval::parseJson("{\"a\":\"x\0y\"}"s).has_value());
  CHECK_FALSE(mesh::eval::parseJson("\0"s).has_value());
}

namespace {

// Reads a message as the generated validators do when no field is known:
// every member skipped (validated), then nothing may follow. False when
// meshrt calls it not JSON.
bool generatedReaderAccepts(const std::string& text) {
  try {
    meshrt::JsonDocument doc(text);
    if (!doc.isScalar()) meshrt::skipValue(doc.root());
    doc.finish();
    return true;
  } catch (const meshrt::JsonSyntaxError&) {
    return false;
  }
}

}  // namespace

TEST_CASE("the generated validators' reader refuses a string value followed by a colon (simdjson took it for a key)") {
  CHECK(generatedReaderAccepts(R"({"a":"x","b":1})"));
  CHECK(generatedReaderAccepts(R"({"a":"x:1","b":{"c":"d"}})"));
  CHECK_FALSE(generatedReaderAccepts(R"({"a":"x":1}})"));
  CHECK_FALSE(generatedReaderAccepts(R"({"a":"x" : 1}})"));
  CHECK_FALSE(generatedReaderAccepts(R"({"a":"x":1})"));
  CHECK_FALSE(generatedReaderAccepts(R"({"a":["x":1]]})"));
  CHECK_FALSE(generatedReaderAccepts(R"({"a":"x":"y","r":{"c":1},"k"},"b":null})"));
  CHECK_FALSE(generatedReaderAccepts(R"({"t":"2026-11-25T12:00:00Z":1}})"));
}
