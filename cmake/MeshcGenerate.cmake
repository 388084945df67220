# MeshcGenerate.cmake: meshc_generate(), the C++ of .mesh contracts compiled
# into a CMake target, in the manner of protobuf_generate(). Installed with
# meshc's CMake package; docs/cmake.md is the reference.
#
#   meshc_generate(TARGET <target>
#                  CONTRACTS <file-or-dir>...
#                  [INCLUDE <dir>...]          # more package roots (--include)
#                  [OUT_DIR <dir>]             # default: <binary dir>/meshc/<target>
#                  [GATE <executable>]         # the domain's mesh-gate
#                  [VALIDATE <executable>]     # the domain's mesh-validate
#                  [GENERATED_FILES <var>])    # set to the generated C++ files
#
# `meshc build --target cpp` runs at build time into OUT_DIR whenever a
# contract (or meshc, or its standard library) is newer than the last run.
# Which files it writes depends on the packages the contracts declare, so the
# file list is asked of meshc (`build --check` against an empty directory)
# when CMake configures, and every contract is a configure dependency: an
# edited, added or removed .mesh file re-runs CMake before the build.

if(COMMAND meshc_generate)
  return()
endif()

function(_meshc_generate_list_outputs out_var)
  # Asks meshc which files the build writes, without writing them: every
  # file is "missing" from a directory that does not exist.
  execute_process(
    COMMAND ${ARGN}
    WORKING_DIRECTORY ${CMAKE_CURRENT_SOURCE_DIR}
    RESULT_VARIABLE status
    OUTPUT_VARIABLE listing
    ERROR_VARIABLE diagnostics)
  set(files "")
  string(REPLACE "\n" ";" lines "${listing}")
  foreach(line IN LISTS lines)
    if(line MATCHES "^missing (cpp/.+)$")
      list(APPEND files "${CMAKE_MATCH_1}")
    endif()
  endforeach()
  if(NOT status EQUAL 1 OR NOT files)
    set(${out_var} "" PARENT_SCOPE)
    set(${out_var}_ERROR "${diagnostics}" PARENT_SCOPE)
    return()
  endif()
  set(${out_var} "${files}" PARENT_SCOPE)
endfunction()

function(meshc_generate)
  cmake_parse_arguments(PARSE_ARGV 0 arg "" "TARGET;OUT_DIR;GATE;VALIDATE;GENERATED_FILES" "CONTRACTS;INCLUDE")
  # The first misuse found stops the configure.
  set(misuse "")
  if(arg_UNPARSED_ARGUMENTS)
    set(misuse "meshc_generate: unknown arguments: ${arg_UNPARSED_ARGUMENTS}")
  elseif(NOT arg_TARGET)
    set(misuse "meshc_generate: TARGET is required")
  elseif(NOT arg_CONTRACTS)
    set(misuse "meshc_generate(TARGET ${arg_TARGET}): CONTRACTS names no .mesh file or directory")
  elseif(NOT MESHC_EXECUTABLE)
    set(misuse "meshc_generate: MESHC_EXECUTABLE is not set (find_package(meshc) sets it)")
  endif()
  if(misuse)
    message(FATAL_ERROR "${misuse}")
  endif()
  if(NOT arg_OUT_DIR)
    set(arg_OUT_DIR "${CMAKE_CURRENT_BINARY_DIR}/meshc/${arg_TARGET}")
  endif()
  cmake_path(ABSOLUTE_PATH arg_OUT_DIR BASE_DIRECTORY "${CMAKE_CURRENT_BINARY_DIR}" NORMALIZE)

  # The paths meshc is given stay relative to the source directory where they
  # can, so the "generated from" stamps name the same files on every machine.
  set(paths "")
  set(contracts "")
  foreach(path IN LISTS arg_CONTRACTS)
    cmake_path(ABSOLUTE_PATH path BASE_DIRECTORY "${CMAKE_CURRENT_SOURCE_DIR}" NORMALIZE OUTPUT_VARIABLE absolute)
    if(IS_DIRECTORY "${absolute}")
      file(GLOB_RECURSE found CONFIGURE_DEPENDS "${absolute}/*.mesh")
      if(NOT found)
        message(FATAL_ERROR "meshc_generate(TARGET ${arg_TARGET}): no .mesh file under ${path}")
      endif()
      list(APPEND contracts ${found})
    elseif(EXISTS "${absolute}")
      list(APPEND contracts "${absolute}")
    else()
      message(FATAL_ERROR "meshc_generate(TARGET ${arg_TARGET}): ${path} does not exist")
    endif()
    cmake_path(IS_PREFIX CMAKE_CURRENT_SOURCE_DIR "${absolute}" NORMALIZE inside)
    if(inside)
      cmake_path(RELATIVE_PATH absolute BASE_DIRECTORY "${CMAKE_CURRENT_SOURCE_DIR}" OUTPUT_VARIABLE path)
    endif()
    list(APPEND paths "${path}")
  endforeach()
  set(includes "")
  set(included "")
  foreach(dir IN LISTS arg_INCLUDE)
    cmake_path(ABSOLUTE_PATH dir BASE_DIRECTORY "${CMAKE_CURRENT_SOURCE_DIR}" NORMALIZE OUTPUT_VARIABLE absolute)
    if(NOT IS_DIRECTORY "${absolute}")
      message(FATAL_ERROR "meshc_generate(TARGET ${arg_TARGET}): INCLUDE ${dir} is not a directory")
    endif()
    file(GLOB_RECURSE found CONFIGURE_DEPENDS "${absolute}/*.mesh")
    list(APPEND included ${found})
    cmake_path(IS_PREFIX CMAKE_CURRENT_SOURCE_DIR "${absolute}" NORMALIZE inside)
    if(inside)
      cmake_path(RELATIVE_PATH absolute BASE_DIRECTORY "${CMAKE_CURRENT_SOURCE_DIR}" OUTPUT_VARIABLE dir)
    endif()
    list(APPEND includes --include "${dir}")
  endforeach()
  set(stdlib "")
  if(MESHC_STDLIB_DIR)
    file(GLOB_RECURSE stdlib "${MESHC_STDLIB_DIR}/*.mesh")
  endif()
  list(REMOVE_DUPLICATES contracts)
  set(inputs ${contracts} ${included})
  set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${inputs} "${MESHC_EXECUTABLE}")

  set(state "${CMAKE_CURRENT_BINARY_DIR}/CMakeFiles/meshc_generate/${arg_TARGET}")
  _meshc_generate_list_outputs(outputs
    "${MESHC_EXECUTABLE}" build ${paths} ${includes} -o "${state}/empty" --target cpp --check --color never)
  if(NOT outputs)
    # Contracts that do not compile: keep the files of the last good run so
    # the build step reports meshc's diagnostics; with none, stop here.
    if(EXISTS "${state}/outputs.txt")
      file(STRINGS "${state}/outputs.txt" outputs)
      message(WARNING "meshc_generate(TARGET ${arg_TARGET}): the contracts do not compile; the build will report "
                      "why:\n${outputs_ERROR}")
    else()
      message(FATAL_ERROR "meshc_generate(TARGET ${arg_TARGET}): the contracts do not compile:\n${outputs_ERROR}")
    endif()
  else()
    string(REPLACE ";" "\n" text "${outputs}")
    file(WRITE "${state}/outputs.txt.new" "${text}\n")
    file(COPY_FILE "${state}/outputs.txt.new" "${state}/outputs.txt" ONLY_IF_DIFFERENT)
  endif()

  set(sources "")
  set(headers "")
  set(generated "")
  set(gate_main "")
  set(validate_main "")
  foreach(file IN LISTS outputs)
    set(path "${arg_OUT_DIR}/${file}")
    if(file STREQUAL "cpp/mesh_gate.cpp")
      set(gate_main "${path}")
    elseif(file STREQUAL "cpp/mesh_validate.cpp")
      set(validate_main "${path}")
    elseif(file MATCHES "\\.mesh\\.cpp$")
      list(APPEND sources "${path}")
    elseif(file MATCHES "\\.mesh\\.h$")
      list(APPEND headers "${path}")
    endif()
    if(NOT file STREQUAL "cpp/CMakeLists.txt")
      list(APPEND generated "${path}")
    endif()
  endforeach()
  # What the last configure asked of meshc: the command and every input. A
  # removed contract changes no remaining input's time, so the generation
  # also depends on this file, rewritten only when its text changes.
  string(REPLACE ";" "\n" text "${paths};${includes};${inputs};${outputs}")
  file(WRITE "${state}/inputs.txt.new" "${text}\n")
  file(COPY_FILE "${state}/inputs.txt.new" "${state}/inputs.txt" ONLY_IF_DIFFERENT)
  set(stamp "${state}/generated.stamp")
  add_custom_command(
    OUTPUT "${stamp}"
    BYPRODUCTS ${generated} "${arg_OUT_DIR}/cpp/CMakeLists.txt"
    COMMAND "${MESHC_EXECUTABLE}" build ${paths} ${includes} -o "${arg_OUT_DIR}" --target cpp --color never
    COMMAND "${CMAKE_COMMAND}" -E touch "${stamp}"
    DEPENDS ${inputs} ${stdlib} "${MESHC_EXECUTABLE}" "${state}/inputs.txt"
    WORKING_DIRECTORY "${CMAKE_CURRENT_SOURCE_DIR}"
    COMMENT "meshc: generating C++ for ${arg_TARGET} from ${paths}"
    VERBATIM)
  set_source_files_properties(${generated} PROPERTIES GENERATED TRUE)
  # One target drives the command; everything compiling its files depends on
  # it (add_custom_command: an output used by several independent targets
  # must not be built by each of them).
  add_custom_target(${arg_TARGET}_meshc DEPENDS "${stamp}")

  if(NOT TARGET ${arg_TARGET})
    add_library(${arg_TARGET} STATIC)
  endif()
  target_sources(${arg_TARGET} PRIVATE ${sources} ${headers})
  target_include_directories(${arg_TARGET} PUBLIC "$<BUILD_INTERFACE:${arg_OUT_DIR}/cpp>")
  target_compile_features(${arg_TARGET} PUBLIC cxx_std_17)
  target_link_libraries(${arg_TARGET} PUBLIC meshrt::meshrt)
  if(gate_main)  # the contracts declare products: producers, consumers
    target_link_libraries(${arg_TARGET} PUBLIC meshrt::meshrt_kafka)
  endif()
  add_dependencies(${arg_TARGET} ${arg_TARGET}_meshc)

  if(arg_GATE)
    if(NOT gate_main)
      message(FATAL_ERROR "meshc_generate(TARGET ${arg_TARGET}): GATE ${arg_GATE} needs a product in the contracts; "
                          "they declare none")
    endif()
    add_executable(${arg_GATE} "${gate_main}")
    target_link_libraries(${arg_GATE} PRIVATE ${arg_TARGET})
    add_dependencies(${arg_GATE} ${arg_TARGET}_meshc)
  endif()
  if(arg_VALIDATE)
    add_executable(${arg_VALIDATE} "${validate_main}")
    target_link_libraries(${arg_VALIDATE} PRIVATE ${arg_TARGET})
    add_dependencies(${arg_VALIDATE} ${arg_TARGET}_meshc)
  endif()
  if(arg_GENERATED_FILES)
    set(${arg_GENERATED_FILES} ${generated} PARENT_SCOPE)
  endif()
endfunction()
