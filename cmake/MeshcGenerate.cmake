# MeshcGenerate.cmake: meshc_generate(), the C++ of .mesh contracts compiled
# into a CMake target, in the manner of protobuf_generate(). Installed with
# meshc's CMake package; docs/cmake.md is the reference.
#
#   meshc_generate(TARGET <target>
#                  CONTRACTS <file-or-dir>...  # or WORKSPACE <dir>, or neither:
#                  [INCLUDE <dir>...]          #   more package roots (--include), with CONTRACTS
#                  [WORKSPACE <dir>]           # the directory of a mesh.yaml (default: this one's)
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
#
# With a workspace file, meshc runs in its directory with no PATH and reads
# the contracts, include roots and policies from it; the files it read come
# from the depfile it writes (`build --depfile`): the build-time command's
# dependencies (add_custom_command DEPFILE) and, from the configure-time
# listing's depfile, the configure dependencies.

if(COMMAND meshc_generate)
  return()
endif()

# The functions defined here keep the policies set here, whatever the calling
# project's minimum version: those of CMake 3.21, which meshc_generate()
# needs (cmake_path, file(COPY_FILE)), among them CMP0116 (a DEPFILE is
# rewritten for the generator, its relative names taken from the binary
# directory).
cmake_policy(PUSH)
if(NOT CMAKE_VERSION VERSION_LESS 3.21)
  cmake_policy(VERSION 3.21)
endif()

function(_meshc_generate_list_outputs out_var workdir)
  # Asks meshc which files the build writes, without writing them: every
  # file is "missing" from a directory that does not exist.
  execute_process(
    COMMAND ${ARGN}
    WORKING_DIRECTORY "${workdir}"
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

function(_meshc_generate_read_depfile depfile out_var)
  # The prerequisites of a depfile meshc wrote (compiler/driver/Depfile.cpp):
  # `TARGET: \`, then one a line, indented, escaped as Make and Ninja read
  # them. meshc refuses names with `;` or a backslash at the end, so once
  # the continuations are gone each line is one list item (but for a name
  # with an unbalanced `[`: CMake lists nest square brackets, a limit every
  # list of paths in CMake has).
  file(READ "${depfile}" text)
  string(REPLACE " \\\n" "\n" text "${text}")
  string(REPLACE "\n" ";" lines "${text}")
  list(POP_FRONT lines)
  set(paths "")
  foreach(line IN LISTS lines)
    string(REGEX REPLACE "^  " "" line "${line}")
    if(line STREQUAL "")
      continue()
    endif()
    string(REPLACE "$$" "$" line "${line}")
    string(REPLACE "\\#" "#" line "${line}")
    string(REPLACE "\\:" ":" line "${line}")
    # 2N+1 backslashes and a space are N backslashes and a space.
    set(unescaped "")
    while(line MATCHES [[^(.*[^\\]|)(\\+) (.*)$]])
      string(LENGTH "${CMAKE_MATCH_2}" n)
      math(EXPR n "(${n} - 1) / 2")
      string(REPEAT "\\" ${n} half)
      set(unescaped "${half} ${CMAKE_MATCH_3}${unescaped}")
      set(line "${CMAKE_MATCH_1}")
    endwhile()
    list(APPEND paths "${line}${unescaped}")
  endforeach()
  set(${out_var} "${paths}" PARENT_SCOPE)
endfunction()

# meshc_generate() with CONTRACTS (and INCLUDE): meshc is given them, and
# every .mesh file under them is a configure dependency (file(GLOB_RECURSE
# CONFIGURE_DEPENDS)) and a dependency of the build-time command. Sets
# outputs, inputs, command, depends, depfile, workdir and from.
macro(_meshc_generate_from_contracts)
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

  _meshc_generate_list_outputs(outputs "${CMAKE_CURRENT_SOURCE_DIR}"
    "${MESHC_EXECUTABLE}" build ${paths} ${includes} -o "${state}/empty" --target cpp --check --color never)
  set(workdir "${CMAKE_CURRENT_SOURCE_DIR}")
  set(command "${MESHC_EXECUTABLE}" build ${paths} ${includes} -o "${arg_OUT_DIR}" --target cpp --color never)
  set(depends ${inputs} ${stdlib})
  set(depfile "")
  set(from "${paths}")
endmacro()

# meshc_generate() with a workspace file: meshc runs in its directory with no
# PATH, so mesh.yaml gives the contracts, the include roots and the policies;
# -o and --target cpp override its output and targets (which are for the
# code a repository checks in). The files meshc read come from its depfiles:
# the build-time command's dependencies (DEPFILE), and from the configure-time
# listing's, the configure dependencies, with the directories of the files
# outside the standard library up to the workspace directory, whose times
# change when a file is added to or removed from them. Sets what
# _meshc_generate_from_contracts sets.
macro(_meshc_generate_from_workspace)
  cmake_path(ABSOLUTE_PATH arg_WORKSPACE BASE_DIRECTORY "${CMAKE_CURRENT_SOURCE_DIR}" NORMALIZE
             OUTPUT_VARIABLE workdir)
  string(REGEX REPLACE "(.)/$" "\\1" workdir "${workdir}")
  if(NOT EXISTS "${workdir}/mesh.yaml")
    message(FATAL_ERROR "meshc_generate(TARGET ${arg_TARGET}): WORKSPACE ${arg_WORKSPACE} has no mesh.yaml")
  endif()
  # --format text: the build's log and the listing are read as text, whatever
  # the workspace's diagnostics say.
  set(options --target cpp --format text --color never)
  file(MAKE_DIRECTORY "${state}")
  _meshc_generate_list_outputs(outputs "${workdir}"
    "${MESHC_EXECUTABLE}" build ${options} -o "${state}/empty" --check --depfile "${state}/configure.d"
    --depfile-target "${state}/configure")
  # When the contracts do not compile, meshc leaves the depfile of the last
  # listing that did.
  set(inputs "")
  if(EXISTS "${state}/configure.d")
    _meshc_generate_read_depfile("${state}/configure.d" inputs)
  endif()
  set(directories "")
  foreach(input IN LISTS inputs)
    if(MESHC_STDLIB_DIR)
      cmake_path(IS_PREFIX MESHC_STDLIB_DIR "${input}" NORMALIZE in_stdlib)
      if(in_stdlib)
        continue()
      endif()
    endif()
    cmake_path(GET input PARENT_PATH directory)
    list(APPEND directories "${directory}")
    cmake_path(IS_PREFIX workdir "${directory}" NORMALIZE inside)
    while(inside AND NOT directory STREQUAL workdir)
      cmake_path(GET directory PARENT_PATH directory)
      list(APPEND directories "${directory}")
      cmake_path(IS_PREFIX workdir "${directory}" NORMALIZE inside)
    endwhile()
  endforeach()
  list(REMOVE_DUPLICATES directories)
  set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS
               "${workdir}/mesh.yaml" ${inputs} ${directories} "${MESHC_EXECUTABLE}")
  set(command "${MESHC_EXECUTABLE}" build -o "${arg_OUT_DIR}" ${options} --depfile "${state}/build.d"
              --depfile-target "${stamp}")
  set(depends "")
  set(depfile DEPFILE "${state}/build.d")
  set(from "the workspace ${arg_WORKSPACE}")
endmacro()

function(meshc_generate)
  cmake_parse_arguments(PARSE_ARGV 0 arg "" "TARGET;WORKSPACE;OUT_DIR;GATE;VALIDATE;GENERATED_FILES"
                        "CONTRACTS;INCLUDE")
  set(given_contracts FALSE)
  if(DEFINED arg_CONTRACTS OR "CONTRACTS" IN_LIST arg_KEYWORDS_MISSING_VALUES)
    set(given_contracts TRUE)
  endif()
  set(given_workspace FALSE)
  if(DEFINED arg_WORKSPACE OR "WORKSPACE" IN_LIST arg_KEYWORDS_MISSING_VALUES)
    set(given_workspace TRUE)
  endif()
  # The first misuse found stops the configure.
  set(misuse "")
  if(arg_UNPARSED_ARGUMENTS)
    set(misuse "meshc_generate: unknown arguments: ${arg_UNPARSED_ARGUMENTS}")
  elseif(NOT arg_TARGET)
    set(misuse "meshc_generate: TARGET is required")
  elseif(CMAKE_VERSION VERSION_LESS 3.21)
    set(misuse "meshc_generate: CMake 3.21 or later is needed; this is ${CMAKE_VERSION}")
  elseif(given_contracts AND given_workspace)
    set(misuse "meshc_generate(TARGET ${arg_TARGET}): CONTRACTS and WORKSPACE together; a workspace's mesh.yaml "
               "names its contracts: give one or the other")
  elseif(given_workspace AND NOT arg_WORKSPACE)
    set(misuse "meshc_generate(TARGET ${arg_TARGET}): WORKSPACE names no directory")
  elseif(arg_INCLUDE AND NOT given_contracts)
    set(misuse "meshc_generate(TARGET ${arg_TARGET}): INCLUDE goes with CONTRACTS; a workspace's include roots are "
               "the 'include' of its mesh.yaml")
  elseif(given_contracts AND NOT arg_CONTRACTS)
    set(misuse "meshc_generate(TARGET ${arg_TARGET}): CONTRACTS names no .mesh file or directory")
  elseif(NOT given_contracts AND NOT given_workspace AND NOT EXISTS "${CMAKE_CURRENT_SOURCE_DIR}/mesh.yaml")
    set(misuse "meshc_generate(TARGET ${arg_TARGET}): no CONTRACTS, no WORKSPACE, and no mesh.yaml in "
               "${CMAKE_CURRENT_SOURCE_DIR}")
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
  set(state "${CMAKE_CURRENT_BINARY_DIR}/CMakeFiles/meshc_generate/${arg_TARGET}")
  set(stamp "${state}/generated.stamp")
  if(given_contracts)
    _meshc_generate_from_contracts()
  else()
    if(NOT arg_WORKSPACE)
      set(arg_WORKSPACE "${CMAKE_CURRENT_SOURCE_DIR}")
    endif()
    _meshc_generate_from_workspace()
  endif()
  if(NOT outputs)
    # Contracts that do not compile: keep the files of the last good run so
    # the build step reports meshc's diagnostics; with none, stop here.
    if(EXISTS "${state}/outputs.txt")
      file(STRINGS "${state}/outputs.txt" outputs)
      message(WARNING "meshc_generate(TARGET ${arg_TARGET}): the contracts do not compile; the build will report "
                      "why:\n${outputs_ERROR}")
      if(NOT given_contracts)
        # meshc wrote no depfile, so the files it read are not known: until
        # they compile, every .mesh file under the workspace directory is a
        # configure dependency, a new one the last good listing did not read
        # among them, so that fixing it configures again and compiles its
        # package in.
        file(GLOB_RECURSE found "${workdir}/*.mesh")
        set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${found})
      endif()
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
  # What the last configure asked of meshc: the command and every input, and
  # why the contracts did not compile. A removed contract changes no
  # remaining input's time, nor does a new one that does not compile (the
  # list of the last good configure is kept), so the generation also depends
  # on this file, rewritten only when its text changes.
  string(REPLACE ";" "\n" text "${command};${inputs};${outputs};${outputs_ERROR}")
  file(WRITE "${state}/inputs.txt.new" "${text}\n")
  file(COPY_FILE "${state}/inputs.txt.new" "${state}/inputs.txt" ONLY_IF_DIFFERENT)
  add_custom_command(
    OUTPUT "${stamp}"
    BYPRODUCTS ${generated} "${arg_OUT_DIR}/cpp/CMakeLists.txt"
    COMMAND ${command}
    COMMAND "${CMAKE_COMMAND}" -E touch "${stamp}"
    DEPENDS ${depends} "${MESHC_EXECUTABLE}" "${state}/inputs.txt"
    ${depfile}
    WORKING_DIRECTORY "${workdir}"
    COMMENT "meshc: generating C++ for ${arg_TARGET} from ${from}"
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

cmake_policy(POP)
