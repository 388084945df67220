// Environment: what a meshc run takes from its surroundings: where the
// standard library is, and the clock (MESH_TODAY, MESH_NOW).
#pragma once

#include <string>

#include "meshrt/formats.h"

namespace mesh::driver {

/// The standard library's directory: MESH_STDLIB, else an installed
/// meshc's PREFIX/share/meshc/stdlib, else the source tree's.
std::string stdlibDir();

/// Reads MESH_TODAY and MESH_NOW once; false (after printing why) when one
/// of them does not parse.
bool checkEnvironment();

/// The day every compilation of this run sees (MESH_TODAY or the system's).
meshrt::Date today();

}  // namespace mesh::driver
