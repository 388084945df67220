// ValueJson: see ValueJson.h.
#include "codegen/ValueJson.h"

#include "meshrt/formats.h"

namespace mesh::codegen {

nlohmann::ordered_json valueJson(const model::Value& v) {
  using VK = model::Value::Kind;
  switch (v.kind) {
    case VK::Null:
      return nullptr;
    case VK::Bool:
      return v.b;
    case VK::Int:
      return v.i;
    case VK::Float:
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
  }
  return nullptr;
}

}  // namespace mesh::codegen
