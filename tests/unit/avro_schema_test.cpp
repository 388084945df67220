// meshrt's Avro schema library (meshrt/avro_schema.h): the spec's rules for
// declarations as errors, names and namespaces, recursion, the canonical
// form and fingerprints of Avro's own test vectors, and compatibility.
// tests/avro/compat_test.py compares the verdicts with python3-avro.
#include "meshrt/avro_schema.h"

#include <doctest/doctest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace avro = meshrt::avro;

namespace {

avro::Schema parsed(const std::string& json) {
  auto result = avro::parse(json);
  INFO(json);
  INFO(result.error);
  REQUIRE(result.ok());
  return std::move(*result.value);
}

std::string errorOf(const std::string& json) {
  auto result = avro::parse(json);
  INFO(json);
  CHECK_FALSE(result.ok());
  return result.error;
}

avro::CompatibilityResult check(const std::string& reader, const std::string& writer) {
  return avro::compatibility(parsed(reader), parsed(writer));
}

std::string record(const std::string& name, const std::string& fields, const std::string& extra = "") {
  return R"({"type":"record","name":")" + name + R"(","fields":[)" + fields + "]" + extra + "}";
}

}  // namespace

TEST_CASE("avro parse: every rule a schema can break is an error naming the place") {
  struct Case {
    const char* json;
    const char* error;  // a part of the message
  };
  const Case cases[] = {
      {R"({"type":"record","name":"R","fields":[{"name":"a","type":"Foo"}]})",
       "/fields/0/type: undefined name \"Foo\""},
      {R"(["R",{"type":"record","name":"R","fields":[]}])", "/0: undefined name \"R\""},
      {R"({"type":"record","name":"R","fields":[{"name":"a","type":{"type":"enum","name":"R","symbols":["A"]}}]})",
       "/fields/0/type/name: redefinition of \"R\""},
      {R"({"type":"record","name":"R","fields":[{"name":"a","type":"int"},{"name":"a","type":"long"}]})",
       "/fields/1/name: duplicate field name \"a\""},
      {R"({"type":"record","name":"1R","fields":[]})", "/name: invalid name \"1R\""},
      {R"({"type":"record","name":"a..R","fields":[]})", "/name: invalid name"},
      {R"({"type":"record","name":"R","namespace":"a-b","fields":[]})", "/namespace: invalid namespace \"a-b\""},
      {R"({"type":"record","name":"R","fields":[{"name":"a-b","type":"int"}]})", "invalid field name \"a-b\""},
      {R"({"type":"record","name":"R","aliases":["9x"],"fields":[]})", "/aliases/0: invalid alias"},
      {R"({"type":"record","name":"int","fields":[]})", "primitive type name \"int\""},
      {R"({"type":"record","name":"R"})", "a record needs a \"fields\" array"},
      {R"({"type":"record","fields":[]})", "needs a \"name\" string"},
      {R"({"type":"record","name":"R","fields":[{"type":"int"}]})", "/fields/0: a field needs a \"name\""},
      {R"({"type":"record","name":"R","fields":[{"name":"a"}]})", "needs a \"type\""},
      {R"({"type":"record","name":"R","fields":[{"name":"a","type":"int","order":"up"}]})", "/fields/0/order"},
      {R"(["int",["null","string"]])", "/1: a union may not contain a union"},
      {R"(["int","string","int"])", "/2: the union has two branches of type int"},
      {R"([{"type":"array","items":"int"},{"type":"array","items":"long"}])", "two branches of type array"},
      {R"([{"type":"fixed","name":"F","size":1},"F"])", "/1: the union has two branches named \"F\""},
      {R"({"type":"enum","name":"E","symbols":["A","B","A"]})", "/symbols/2: duplicate symbol \"A\""},
      {R"({"type":"enum","name":"E","symbols":["A","B-"]})", "/symbols/1: invalid symbol"},
      {R"({"type":"enum","name":"E","symbols":["A"],"default":"B"})", "/default: the enum's default must be one"},
      {R"({"type":"enum","name":"E"})", "an enum needs a \"symbols\" array"},
      {R"({"type":"fixed","name":"F"})", "a fixed needs a \"size\""},
      {R"({"type":"fixed","name":"F","size":-1})", "a fixed needs a \"size\""},
      {R"({"type":"fixed","name":"F","size":"16"})", "a fixed needs a \"size\""},
      {R"({"type":"fixed","name":"F","size":1.5})", "a fixed needs a \"size\""},
      {R"({"type":"array"})", "an array needs \"items\""},
      {R"({"type":"map"})", "a map needs \"values\""},
      {R"({"type":"integer-ish"})", "/type: unknown type \"integer-ish\""},
      {R"({"type":"Nope"})", "/type: unknown type \"Nope\" (a schema object's type is a primitive"},
      {R"([{"type":"enum","name":"E","symbols":["A"]},{"type":"E"}])", "/1/type: unknown type \"E\""},
      {R"("Nope")", "/: undefined name \"Nope\""},
      {R"(42)", "/: a schema is a string, an object or an array, not a number"},
      {R"({"items":"int"})", "a schema object needs a \"type\""},
      {R"({"type":["int"]})", "/type: \"type\" is a string here"},
      {R"({"type":"int","type":"long"})", "the attribute \"type\" appears twice"},
      {R"({"type":)", "not JSON"},
      {"", "not JSON"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.json);
    std::string error = errorOf(c.json);
    CHECK_MESSAGE(error.find(c.error) != std::string::npos, error);
  }
}

TEST_CASE("avro parse: a default must be a value of the field's type (a union's: its first branch)") {
  auto field = [](const std::string& type, const std::string& value) {
    return record("R", R"({"name":"f","type":)" + type + R"(,"default":)" + value + "}");
  };
  const std::pair<const char*, const char*> good[] = {
      {R"("null")", "null"},
      {R"("boolean")", "true"},
      {R"("int")", "-2147483648"},
      {R"("long")", "9223372036854775807"},
      {R"("float")", "1"},
      {R"("double")", "1.5e300"},
      {R"("string")", R"("h\u00e9")"},
      {R"("bytes")", R"("\u0000\u00ff")"},
      {R"({"type":"fixed","name":"F","size":2})", R"("ab")"},
      {R"({"type":"enum","name":"E","symbols":["A"]})", R"("A")"},
      {R"({"type":"array","items":"int"})", "[1,2]"},
      {R"({"type":"map","values":"long"})", R"({"a":1})"},
      {R"(["null","int"])", "null"},
      {R"(["int","null"])", "5"},
      {R"({"type":"record","name":"S","fields":[{"name":"a","type":"int"},{"name":"b","type":"int","default":0}]})",
       R"({"a":1})"},
  };
  for (const auto& [type, value] : good) CHECK_MESSAGE(avro::parse(field(type, value)).ok(), field(type, value));
  const std::pair<const char*, const char*> bad[] = {
      {R"("null")", "0"},
      {R"("boolean")", "1"},
      {R"("int")", "2147483648"},
      {R"("int")", "1.0"},
      {R"("long")", "9223372036854775808"},
      {R"("float")", R"("1")"},
      {R"("string")", "1"},
      {R"("bytes")", R"("\u0100")"},
      {R"({"type":"fixed","name":"F","size":2})", R"("abc")"},
      {R"({"type":"enum","name":"E","symbols":["A"]})", R"("B")"},
      {R"({"type":"array","items":"int"})", R"([1,"x"])"},
      {R"({"type":"map","values":"long"})", "[1]"},
      {R"(["null","int"])", "5"},
      {R"(["int","null"])", "null"},
      {R"({"type":"record","name":"S","fields":[{"name":"a","type":"int"}]})", "{}"},
      {R"([])", "null"},
  };
  for (const auto& [type, value] : bad) {
    std::string error = errorOf(field(type, value));
    CHECK_MESSAGE(error.find("/fields/0/default: the default is not valid") == 0, error);
  }
}

TEST_CASE("avro parse: full names by the spec's namespace rules") {
  // The spec's example in "Names".
  avro::Schema s = parsed(R"({"type":"record","name":"Example","fields":[
      {"name":"inheritNull","type":{"type":"enum","name":"Simple","symbols":["a","b"]}},
      {"name":"explicitNamespace","type":{"type":"fixed","name":"Simple","namespace":"explicit","size":12}},
      {"name":"fullName","type":{"type":"record","name":"a.full.Name","namespace":"ignored","fields":[
          {"name":"inheritNamespace","type":{"type":"enum","name":"Understanding","symbols":["d","e"]}},
          {"name":"again","type":"Understanding"},
          {"name":"outer","type":"explicit.Simple"}]}}]})");
  const avro::Node& root = s.root();
  CHECK(root.fullName == "Example");
  CHECK(root.fields[0].type->fullName == "Simple");
  CHECK(root.fields[1].type->fullName == "explicit.Simple");
  const avro::Node& name = *root.fields[2].type;
  CHECK(name.fullName == "a.full.Name");
  CHECK(name.shortName() == "Name");
  CHECK(name.fields[0].type->fullName == "a.full.Understanding");
  CHECK(name.fields[1].type == name.fields[0].type);  // a reference points to the definition
  CHECK(name.fields[2].type == root.fields[1].type);
  // An empty namespace is the null namespace; a short reference is looked up
  // in the enclosing namespace only (Java also tries the null namespace).
  CHECK(parsed(R"({"type":"enum","name":"E","namespace":"","symbols":["A"]})").root().fullName == "E");
  CHECK(errorOf(R"({"type":"record","name":"T","fields":[{"name":"a","type":{"type":"fixed","name":"F","size":1}},
      {"name":"b","type":{"type":"record","name":"In","namespace":"n","fields":[{"name":"c","type":"F"}]}}]})")
            .find("undefined name \"n.F\"") != std::string::npos);
  // Aliases are made full in the type's namespace.
  avro::Schema aliased = parsed(R"({"type":"fixed","name":"a.b","aliases":["c","x.y"],"size":1})");
  CHECK(aliased.root().aliases == std::vector<std::string>{"a.c", "x.y"});
}

TEST_CASE("avro parse: recursive records point to themselves; logical types are kept") {
  avro::Schema list = parsed(record("LongList", R"({"name":"value","type":"long"},
      {"name":"next","type":["null","LongList"]})"));
  const avro::Node& root = list.root();
  REQUIRE(root.fields.size() == 2);
  CHECK(root.fields[1].type->branches[1] == &root);
  CHECK(root.field("next") == &root.fields[1]);
  CHECK(root.field("none") == nullptr);
  avro::Schema dec = parsed(R"({"type":"bytes","logicalType":"decimal","precision":9,"scale":2})");
  CHECK(dec.root().type == avro::Type::Bytes);
  CHECK(dec.root().logicalType == "decimal");
  CHECK(dec.root().precision == 9);
  CHECK(dec.root().scale == 2);
  auto field = parsed(record("R", R"({"name":"a","type":"int","default":  7  },
      {"name":"b","type":{"type":"array","items":"int"},"default":[1, 2]})"));
  CHECK(field.root().fields[1].defaultJson == "[1,2]");
}

TEST_CASE("avro parse: hostile nesting is an error, never a crash") {
  auto nested = [](size_t depth) {
    std::string s;
    for (size_t i = 0; i < depth; ++i) s += R"({"type":"array","items":)";
    s += R"("int")";
    for (size_t i = 0; i < depth; ++i) s += "}";
    return s;
  };
  CHECK(avro::parse(nested(avro::kMaxSchemaDepth)).ok());
  CHECK(errorOf(nested(avro::kMaxSchemaDepth + 1)).find("nests deeper than 1000") != std::string::npos);
  CHECK(errorOf(std::string(100000, '[') + std::string(100000, ']')).find("not JSON") == 0);
  std::string deepDefault = record("R", R"({"name":"a","type":{"type":"array","items":"int"},"default":)" +
                                            std::string(1000, '[') + std::string(1000, ']') + "}");
  CHECK(errorOf(deepDefault).find("/fields/0/default") == 0);
}

TEST_CASE("avro canonical form and fingerprint: Avro's test vectors (share/test/data/schema-tests.txt)") {
  std::ifstream in(std::string(MESH_SOURCE_DIR) + "/tests/avro/data/schema-tests.txt");
  REQUIRE(in);
  std::string line, input, canonical;
  size_t cases = 0, fingerprints = 0;
  while (std::getline(in, line)) {
    if (line == "<<INPUT") {  // a multi-line input, up to a line "INPUT"
      input.clear();
      while (std::getline(in, line) && line != "INPUT") input += line + "\n";
    } else if (line.rfind("<<INPUT ", 0) == 0) {
      input = line.substr(8);
    } else if (line.rfind("<<canonical ", 0) == 0) {
      canonical = line.substr(12);
      CAPTURE(input);
      CHECK(avro::canonicalForm(parsed(input)) == canonical);
      ++cases;
    } else if (line.rfind("<<fingerprint ", 0) == 0) {
      CAPTURE(canonical);
      CHECK(static_cast<int64_t>(avro::fingerprint64(canonical)) == std::stoll(line.substr(14)));
      ++fingerprints;
    }
  }
  CHECK(cases == 34);
  CHECK(fingerprints == 26);
}

TEST_CASE("avro canonical form: full names, named types once, logical types as their types") {
  avro::Schema s = parsed(R"({"type":"record","name":"R","namespace":"n","doc":"x","aliases":["Q"],"fields":[
      {"name":"a","type":{"type":"fixed","name":"F","size":16},"doc":"d","default":"0123456789abcdef"},
      {"name":"b","type":"F"},
      {"name":"c","type":{"type":"long","logicalType":"timestamp-micros"}},
      {"name":"d","type":{"type":"map","values":{"type":"enum","name":"o.E","symbols":["X"],"default":"X"}}},
      {"name":"e","type":["null","R"],"default":null}]})");
  CHECK(avro::canonicalForm(s) ==
        R"({"name":"n.R","type":"record","fields":[{"name":"a","type":{"name":"n.F","type":"fixed","size":16}},)"
        R"({"name":"b","type":"n.F"},{"name":"c","type":"long"},)"
        R"({"name":"d","type":{"type":"map","values":{"name":"o.E","type":"enum","symbols":["X"]}}},)"
        R"({"name":"e","type":["null","n.R"]}]})");
}

TEST_CASE("avro compatibility: promotions, and nothing else between primitives") {
  const char* names[] = {"null", "boolean", "int", "long", "float", "double", "bytes", "string"};
  const std::pair<std::string, std::string> promotions[] = {
      {"long", "int"},    {"float", "int"},    {"double", "int"},   {"float", "long"},
      {"double", "long"}, {"double", "float"}, {"bytes", "string"}, {"string", "bytes"},
  };
  for (const char* r : names) {
    for (const char* w : names) {
      bool expected = std::string(r) == w;
      for (const auto& [pr, pw] : promotions) expected = expected || (pr == r && pw == w);
      CAPTURE(r);
      CAPTURE(w);
      auto result = check(std::string("\"") + r + "\"", std::string("\"") + w + "\"");
      CHECK(result.compatible == expected);
      if (!expected) {
        REQUIRE(result.incompatibilities.size() == 1);
        CHECK(result.incompatibilities[0].type == avro::IncompatibilityType::TypeMismatch);
        CHECK(result.incompatibilities[0].location == "/");
      }
    }
  }
}

TEST_CASE("avro compatibility: records, enums, fixed and unions, with Python's locations") {
  auto r1 = record("R", R"({"name":"a","type":"int"},{"name":"b","type":{"type":"array","items":"int"}})");
  auto r2 = record("R", R"({"name":"b","type":{"type":"array","items":"long"}},{"name":"c","type":"string"})");
  auto result = check(r1, r2);  // a lacks a default; b's items do not narrow
  REQUIRE(result.incompatibilities.size() == 2);
  CHECK(result.incompatibilities[0].type == avro::IncompatibilityType::ReaderFieldMissingDefaultValue);
  CHECK(result.incompatibilities[0].location == "/fields/0");
  CHECK(result.incompatibilities[1].type == avro::IncompatibilityType::TypeMismatch);
  CHECK(result.incompatibilities[1].location == "/fields/1/type/items");
  CHECK(check(r2, r1).incompatibilities.at(0).location == "/fields/1");
  CHECK(check(record("R", R"({"name":"x","type":"int","aliases":["a"]})"), r1).compatible);

  auto e1 = R"({"type":"enum","name":"E","symbols":["A","B"]})";
  auto e2 = R"({"type":"enum","name":"E","symbols":["A","B","C"]})";
  CHECK(check(e2, e1).compatible);
  CHECK(check(e1, e2).incompatibilities.at(0).location == "/symbols");
  CHECK(check(R"({"type":"enum","name":"E","symbols":["A","B"],"default":"A"})", e2).compatible);
  CHECK(check(R"({"type":"enum","name":"n.E","symbols":["A","B"]})", e1).compatible);  // unqualified names
  CHECK(check(R"({"type":"enum","name":"F","aliases":["n.E"],"symbols":["A","B"]})",
              R"({"type":"enum","name":"n.E","symbols":["A","B"]})")
            .compatible);

  auto f = check(R"({"type":"fixed","name":"F","size":4})", R"({"type":"fixed","name":"G","size":8})");
  REQUIRE(f.incompatibilities.size() == 2);
  CHECK(f.incompatibilities[0].location == "/name");
  CHECK(f.incompatibilities[1].type == avro::IncompatibilityType::FixedSizeMismatch);
  CHECK(f.incompatibilities[1].location == "/size");

  auto u = check(R"(["null","long"])", R"(["null","int","string"])");
  REQUIRE(u.incompatibilities.size() == 1);
  CHECK(u.incompatibilities[0].type == avro::IncompatibilityType::MissingUnionBranch);
  CHECK(u.incompatibilities[0].location == "/2");
  CHECK(check(R"(["null","long"])", R"("int")").compatible);
  CHECK(check(R"(["null","string"])", R"("int")").incompatibilities.at(0).type ==
        avro::IncompatibilityType::MissingUnionBranch);
  CHECK(check(R"("long")", R"(["int","long"])").compatible);
  CHECK_FALSE(check(R"("long")", R"(["null","long"])").compatible);
}

TEST_CASE("avro compatibility: recursive schemas terminate, however long the chain of pairs") {
  // Record cycles of 331 and 337 types: the pairs repeat after 331 * 337, far
  // deeper than any recursion could go.
  auto cycle = [](size_t n) {
    std::string s;
    for (size_t i = 0; i < n; ++i)
      s += R"({"type":"record","name":"N)" + std::to_string(i) +
           R"(","fields":[{"name":"v","type":"int"},{"name":"f","type":)";
    s += R"(["null","N0"])";
    for (size_t i = 0; i < n; ++i) s += "}]}";
    return s;
  };
  auto result = check(cycle(331), cycle(337));
  CHECK_FALSE(result.compatible);  // N0 reads N331 where the reader's cycle wraps
  CHECK(result.error.empty());
  CHECK_FALSE(result.incompatibilities.empty());
  CHECK(check(cycle(5), cycle(5)).compatible);
  auto tree = [](const char* v) {
    return record("Tree", std::string(R"({"name":"v","type":")") + v +
                              R"("},{"name":"kids","type":{"type":"array","items":"Tree"}})");
  };
  CHECK(check(tree("long"), tree("int")).compatible);
  CHECK(check(tree("int"), tree("long")).incompatibilities.at(0).location == "/fields/0/type");
}

TEST_CASE("avro compatibility: a check too large to finish gives up with an error") {
  // Two unions of 1,100 differently named records: every writer branch is
  // tried against every reader branch.
  auto records = [](const char* prefix) {
    std::string s = "[";
    for (int i = 0; i < 1100; ++i)
      s += std::string(i ? "," : "") + R"({"type":"record","name":")" + prefix + std::to_string(i) +
           R"(","fields":[{"name":"a","type":"int"}]})";
    return s + "]";
  };
  auto result = check(records("A"), records("B"));
  CHECK_FALSE(result.compatible);
  CHECK(result.error.find("gave up") == 0);
}
