// Clone: a deep copy of the AST with file ids rewritten, member by member
// through the lists of ast/Members.h: each struct is rebuilt as an aggregate
// from the copies of its members, in order.
#include "ast/Clone.h"

#include "ast/Members.h"

namespace mesh::ast {
namespace {

class Cloner {
 public:
  Cloner(uint32_t from, uint32_t to) : from_(from), to_(to) {}

  SourceRange operator()(const SourceRange& r) const { return r.file == from_ ? SourceRange{to_, r.begin, r.end} : r; }

  // Leaves: copied as they are.
  template <typename T>
  requires std::is_arithmetic_v<T> || std::is_enum_v<T> T operator()(const T& v) const { return v; }
  std::string operator()(const std::string& s) const { return s; }

  template <typename T>
  std::optional<T> operator()(const std::optional<T>& o) const {
    if (!o) return std::nullopt;
    return (*this)(*o);
  }
  template <typename T>
  std::vector<T> operator()(const std::vector<T>& v) const {
    std::vector<T> out;
    out.reserve(v.size());
    for (const auto& e : v) out.push_back((*this)(e));
    return out;
  }
  template <typename T>
  std::unique_ptr<T> operator()(const std::unique_ptr<T>& p) const {
    return p ? std::make_unique<T>((*this)(*p)) : nullptr;
  }
  template <typename... Ts>
  std::variant<Ts...> operator()(const std::variant<Ts...>& v) const {
    return std::visit([&](const auto& alternative) { return std::variant<Ts...>((*this)(alternative)); }, v);
  }

  template <HasMembers T>
  T operator()(const T& x) const {
    return std::apply([&](const auto&... member) { return T{(*this)(member)...}; }, members(x));
  }

 private:
  uint32_t from_, to_;
};

}  // namespace

File cloneFile(const File& file, uint32_t newFileId) {
  File out = Cloner(file.fileId, newFileId)(file);
  out.fileId = newFileId;
  return out;
}

File cloneFile(const File& head, const Decl* decls, size_t declCount, uint32_t newFileId) {
  Cloner clone(head.fileId, newFileId);
  File out = clone(head);  // head's own declarations (SharedParses keeps none) are replaced below
  out.fileId = newFileId;
  out.decls.clear();
  out.decls.reserve(declCount);
  for (size_t i = 0; i < declCount; ++i) out.decls.push_back(clone(decls[i]));
  return out;
}

}  // namespace mesh::ast
