// ValueJson: see ValueJson.h.
#include "model/ValueJson.h"

#include "meshrt/formats.h"

namespace mesh::model {
namespace {

// `type` is null where decimals are written as doubles.
nlohmann::ordered_json toJson(const Value& v, const Type* type) {
  using VK = Value::Kind;
  switch (v.kind) {
    case VK::Null:
      return nullptr;
    case VK::Bool:
      return v.b;
    case VK::Int:
      if (type && type->kind == TypeKind::Decimal) return std::to_string(v.i);
      return v.i;
    case VK::Float:
      if (type && type->kind == TypeKind::Decimal) return v.s;  // as written (Checker::constant)
      return v.f;
    case VK::String:
      return v.s;
    case VK::Duration:
      return meshrt::formatIsoDuration(meshrt::Duration{v.i});
    case VK::Date:
      return v.s;
    case VK::EnumMember:
      if (v.enumType && v.member >= 0) return v.enumType->members[v.member].name;
      return nullptr;
    case VK::Role:
      if (v.role) return v.role->qualifiedName;
      return nullptr;
    case VK::Tag:
      if (v.tag) return v.tag->qualifiedName;
      return nullptr;
    case VK::List: {
      auto out = nlohmann::ordered_json::array();
      for (const Value& item : v.items) out.push_back(toJson(item, type ? type->element : nullptr));
      return out;
    }
    case VK::Map: {
      auto out = nlohmann::ordered_json::object();
      for (size_t n = 0; n < v.items.size(); ++n) out[v.keys[n]] = toJson(v.items[n], type ? type->element : nullptr);
      return out;
    }
  }
  return nullptr;
}

}  // namespace

nlohmann::ordered_json valueJson(const Value& v) { return toJson(v, nullptr); }
nlohmann::ordered_json valueJson(const Value& v, const Type& type) { return toJson(v, &type); }

}  // namespace mesh::model
