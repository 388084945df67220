// EnumNames: an enum's names as a table indexed by the enumerator, instead of
// a switch with a `case` and a `return` per name.
#pragma once

#include <cstddef>

namespace mesh {

/// The name of `e` in `names`, where names[i] names the enumerator of value i
/// and `Last` is the enum's last enumerator: a table with a name too few or
/// too many does not compile.
template <auto Last, std::size_t N>
constexpr const char* enumName(decltype(Last) e, const char* const (&names)[N]) {
  static_assert(static_cast<std::size_t>(Last) + 1 == N, "one name per enumerator");
  return names[static_cast<std::size_t>(e)];
}

}  // namespace mesh
