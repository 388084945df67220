// meshc's reference reader (compiler/eval) and the generated validators'
// (meshrt: parseRecord and its readers) on what the text says before any
// constraint: the same violations, byte for byte, for messages whose JSON is
// valid but whose value no field can hold (issue 17).
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "CompileText.h"
#include "eval/Json.h"
#include "eval/Validate.h"
#include "meshrt/json_read.h"
#include "meshrt/record.h"

namespace {

struct Amounts {
  double amount = 0;
  int64_t count = 0;
};

// What generated code does for `record R { amount: float64; count: int64?; }`
// in the parts these messages reach (no required check: each line gives `amount`).
bool readAmounts(meshrt::JsonValue& v, Amounts& out, meshrt::Sink& sink) {
  meshrt::JsonKind kind = meshrt::kindOf(v);
  if (kind != meshrt::JsonKind::Object) {
    meshrt::typeMismatch(v, kind, meshrt::msg::word::kObject, sink);
    return false;
  }
  bool clean = true;
  meshrt::forEachMember(v, [&](std::string_view key, meshrt::JsonValue& value) {
    size_t mark = sink.mark();
    sink.member(key);
    if (key == "amount")
      clean &= meshrt::readFloat64(value, out.amount, sink);
    else if (key == "count")
      clean &= meshrt::readInt64(value, out.count, sink);
    else
      meshrt::skipValue(value);
    sink.resize(mark);
  });
  return clean;
}

std::string show(const std::vector<meshrt::Violation>& violations) {
  std::string out;
  meshrt::appendResultLine(out, 1, violations);
  return out;
}

}  // namespace

TEST_CASE("a number beyond a double is valid JSON to both readers, and its field's type violation") {
  for (const char* text : {R"({"a":1e400})", R"({"a":[-1e400,2E+999,1e-400]})", "1e400", R"({"a":"1e400","b":-1e400})"})
    CHECK_MESSAGE(mesh::eval::parseJson(text).has_value(), text);
  std::string digits(400, '9');
  auto big = mesh::eval::parseJson("{\"a\":" + digits + "}");
  REQUIRE(big.has_value());
  CHECK(big->members[0].value.text == digits);  // the text as written, for the field's reader
  auto kept = mesh::eval::parseJson(R"([1,-1e400,"1e400",2e999])");
  REQUIRE(kept.has_value());
  REQUIRE(kept->items.size() == 4);
  CHECK(kept->items[1].text == "-1e400");
  CHECK(kept->items[2].text == "1e400");
  CHECK(kept->items[3].text == "2e999");
  // Still not JSON: a syntax error after such a number.
  CHECK_FALSE(mesh::eval::parseJson(R"({"a":1e400,})").has_value());
  CHECK_FALSE(mesh::eval::parseJson(R"({"a":1e400 1})").has_value());
}

TEST_CASE("meshc validate and the generated readers agree on 1e400 and on a null message") {
  mesh::compilation::Compilation c;
  mesh::testing::compileText(c, "t.mesh", "package t;\nrecord R { amount: float64; count: int64?; }\n");
  const mesh::model::Type* target = mesh::eval::findValidationTarget(*c.build, "t.R");
  REQUIRE(target);
  mesh::eval::Validator validator(*target);
  const std::vector<std::string> lines = {R"({"amount":1e400})",
                                          R"({"amount":-1E+400,"count":1e400})",
                                          R"({"amount":1,"other":1e400})",
                                          std::string(1, '{') + R"("amount":)" + std::string(400, '9') + "}",
                                          "null",
                                          " null ",
                                          "1e400",
                                          "[]",
                                          R"({"amount":1e400,})"};
  const std::vector<std::string> expected = {
      R"({"line":1,"valid":false,"violations":[{"path":"$.amount","rule":"type","message":"out of range for float64"}]})",
      R"({"line":1,"valid":false,"violations":[{"path":"$.amount","rule":"type","message":"out of range for float64"},)"
      R"({"path":"$.count","rule":"type","message":"expected an integer, found a number with a fraction or exponent"}]})",
      R"({"line":1,"valid":true})",
      R"({"line":1,"valid":false,"violations":[{"path":"$.amount","rule":"type","message":"out of range for float64"}]})",
      R"({"line":1,"valid":false,"violations":[{"path":"$","rule":"type","message":"expected an object, found null"}]})",
      R"({"line":1,"valid":false,"violations":[{"path":"$","rule":"type","message":"expected an object, found null"}]})",
      R"({"line":1,"valid":false,"violations":[{"path":"$","rule":"type","message":"expected an object, found a number"}]})",
      R"({"line":1,"valid":false,"violations":[{"path":"$","rule":"type","message":"expected an object, found an array"}]})",
      R"({"line":1,"valid":false,"violations":[{"path":"$","rule":"parse","message":"not valid JSON"}]})"};
  for (size_t i = 0; i < lines.size(); ++i) {
    CAPTURE(lines[i]);
    std::vector<meshrt::Violation> generated;
    Amounts out;
    meshrt::parseRecord<Amounts, &readAmounts>(lines[i], out, generated, 0);
    std::string reference = show(validator.validate(lines[i], {}));
    CHECK(reference == expected[i] + "\n");
    CHECK(show(generated) == reference);
  }
}
