// The CMake file: the generated packages as the library mesh_contracts, and
// the tools mesh-validate and (with products) mesh-gate.
#include "codegen/cpp/CppGen.h"

namespace mesh::codegen::cpp {

std::string cmakeLists(const GeneratorContext& ctx, const std::vector<std::string>& packages) {
  Printer p;
  p.printBlock(ctx.stamp("# ", {}));
  // `$$` is CMake's `$`.
  p.print(
      "# Builds the generated validators into the library mesh_contracts and the\n"
      "# mesh-validate tool. meshrt comes from an installed package\n"
      "# (find_package(meshrt)) or from meshc's source tree: -DMESHRT_SOURCE_DIR=.../runtime\n"
      "cmake_minimum_required(VERSION 3.16)\n"
      "project(mesh_contracts CXX)\n"
      "if(NOT CMAKE_CXX_STANDARD)\n"
      "  set(CMAKE_CXX_STANDARD 17)\n"
      "endif()\n"
      "set(CMAKE_CXX_STANDARD_REQUIRED ON)\n"
      "set(CMAKE_CXX_EXTENSIONS OFF)\n"
      "if(TARGET meshrt)\n"
      "  set(MESHRT_LIBRARY meshrt)\n"
      "elseif(MESHRT_SOURCE_DIR)\n"
      "  add_subdirectory($${MESHRT_SOURCE_DIR} $${CMAKE_CURRENT_BINARY_DIR}/meshrt)\n"
      "  set(MESHRT_LIBRARY meshrt)\n"
      "else()\n"
      "  find_package(meshrt REQUIRED CONFIG)\n"
      "  set(MESHRT_LIBRARY meshrt::meshrt)\n"
      "endif()\n"
      "add_library(mesh_contracts STATIC\n");
  for (const auto& package : packages) {
    std::string h = headerPath(package);
    p.print("  $source$.cpp\n", {{"source", h.substr(0, h.size() - 2)}});
  }
  p.print(
      "  )\n"
      "target_include_directories(mesh_contracts PUBLIC $${CMAKE_CURRENT_SOURCE_DIR})\n"
      "target_link_libraries(mesh_contracts PUBLIC $${MESHRT_LIBRARY})\n");
  bool products = false;
  for (const auto& package : packages) products |= !productsOf(ctx, package).empty();
  if (products)
    p.print(
        "target_link_libraries(mesh_contracts PUBLIC $${MESHRT_LIBRARY}_kafka)\n"
        "add_executable(mesh-gate mesh_gate.cpp)\n"
        "target_link_libraries(mesh-gate PRIVATE mesh_contracts)\n");
  p.print(
      "add_executable(mesh-validate mesh_validate.cpp)\n"
      "target_link_libraries(mesh-validate PRIVATE mesh_contracts)\n");
  return p.take();
}

}  // namespace mesh::codegen::cpp
