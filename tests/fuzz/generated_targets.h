// The validators generated from examples/contracts (`meshc build --target
// cpp`), compiled into the fuzz targets by generated_unity.cmake: the table
// mesh-validate dispatches on, one entry per product and record.
#pragma once

#include <cstddef>

#include "meshrt/runtime.h"

const meshrt::ValidateTarget* meshFuzzGeneratedTargets(std::size_t* count);

/// What now() is in every fuzz target: MESH_NOW of tests/differential,
/// 2026-11-25T12:00:00Z, in microseconds since the epoch.
inline constexpr int64_t kMeshFuzzNow = (int64_t(20'782) * 86'400 + 12 * 3'600) * 1'000'000;
