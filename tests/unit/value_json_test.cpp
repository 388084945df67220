// model/ValueJson: a model value as JSON, the one form the JSON Schema
// (defaults, const, enum) and the manifest (defaults, tag arguments) write,
// for every kind of value; the texts are the ones meshrt reads back.
#include <doctest/doctest.h>

#include <set>
#include <string>
#include <vector>

#include "meshrt/formats.h"
#include "model/Model.h"
#include "model/ValueJson.h"

using mesh::model::Value;
using mesh::model::valueJson;
using json = nlohmann::ordered_json;

namespace {

Value make(Value::Kind kind) {
  Value v;
  v.kind = kind;
  return v;
}

}  // namespace

TEST_CASE("valueJson: every kind of value, in the form a message carries it") {
  mesh::model::EnumType tier;
  tier.members = {{"FREE", "", {}, {}}, {"GOLD", "", {}, {}}};
  mesh::model::Role role;
  role.qualifiedName = "shop.analyst";
  mesh::model::Tag tag;
  tag.qualifiedName = "shop.pii";

  std::vector<std::pair<Value, json>> cases;
  cases.push_back({make(Value::Kind::Null), nullptr});
  Value b = make(Value::Kind::Bool);
  b.b = true;
  cases.push_back({b, true});
  Value i = make(Value::Kind::Int);
  i.i = -9007199254740993;  // beyond a double's integers: stays exact
  cases.push_back({i, -9007199254740993});
  Value f = make(Value::Kind::Float);
  f.f = 12.5;
  f.s = "12.50";  // a decimal's literal text: the number is written
  cases.push_back({f, 12.5});
  Value s = make(Value::Kind::String);
  s.s = "2026-11-24T10:00:00Z";  // timestamps, uuids and bytes are strings as written
  cases.push_back({s, "2026-11-24T10:00:00Z"});
  Value d = make(Value::Kind::Duration);
  d.i = 2 * 3600 * 1000000LL;
  d.s = "2h";  // the contract's text is not the wire's
  cases.push_back({d, "PT2H"});
  Value date = make(Value::Kind::Date);
  date.s = "2027-03-31";
  cases.push_back({date, "2027-03-31"});
  Value member = make(Value::Kind::EnumMember);
  member.enumType = &tier;
  member.member = 1;
  cases.push_back({member, "GOLD"});
  Value r = make(Value::Kind::Role);
  r.role = &role;
  cases.push_back({r, "shop.analyst"});
  Value t = make(Value::Kind::Tag);
  t.tag = &tag;
  cases.push_back({t, "shop.pii"});
  Value list = make(Value::Kind::List);
  list.items = {d, member, make(Value::Kind::Null)};  // each element as it is alone
  cases.push_back({list, json::array({"PT2H", "GOLD", nullptr})});
  Value map = make(Value::Kind::Map);
  map.keys = {"z", "a"};
  map.items = {i, list};  // in the order written, not sorted
  json object = json::object();
  object["z"] = -9007199254740993;
  object["a"] = json::array({"PT2H", "GOLD", nullptr});
  cases.push_back({map, object});

  std::set<int> kinds;
  for (const auto& [value, expected] : cases) {
    CAPTURE(value.str());
    CHECK(valueJson(value) == expected);
    kinds.insert(static_cast<int>(value.kind));
  }
  // One case per kind: a new kind of value needs its row here.
  CHECK(kinds.size() == static_cast<size_t>(Value::Kind::Map) + 1);

  // For a default of a decimal type (what the checker validates), a
  // decimal is its exact text, inside lists and maps too.
  mesh::model::Type decimal;
  decimal.kind = mesh::model::TypeKind::Decimal;
  decimal.precision = 38;
  decimal.scale = 2;
  Value big = make(Value::Kind::Float);
  big.f = 123456789012345678901.25;
  big.s = "123456789012345678901.25";
  CHECK(valueJson(big, decimal) == "123456789012345678901.25");
  Value whole = make(Value::Kind::Int);
  whole.i = 7;
  CHECK(valueJson(whole, decimal) == "7");
  mesh::model::Type decimals;
  decimals.kind = mesh::model::TypeKind::List;
  decimals.element = &decimal;
  Value bigs = make(Value::Kind::List);
  bigs.items = {big, whole};
  CHECK(valueJson(bigs, decimals) == json::array({"123456789012345678901.25", "7"}));
  CHECK(valueJson(bigs) == json::array({123456789012345678901.25, 7}));

  // Unresolved references (what the checker leaves after an error) are null.
  CHECK(valueJson(make(Value::Kind::EnumMember)).is_null());
  CHECK(valueJson(make(Value::Kind::Role)).is_null());
  CHECK(valueJson(make(Value::Kind::Tag)).is_null());
}

TEST_CASE("valueJson: a duration is the ISO 8601 text the duration reader takes back") {
  for (int64_t micros : {int64_t{0}, int64_t{250000}, int64_t{90} * 1000000, int64_t{86400 + 7200} * 1000000,
                         int64_t{7} * 86400 * 1000000 + 1}) {
    Value d = make(Value::Kind::Duration);
    d.i = micros;
    json text = valueJson(d);
    REQUIRE(text.is_string());
    auto back = meshrt::parseIsoDuration(text.get<std::string>());
    REQUIRE(back);
    CHECK(back->micros == micros);
  }
}
