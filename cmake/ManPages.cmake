# ManPages.cmake: writes the man pages of meshc, of each meshc subcommand
# (meshc-check(1), ..., as git and cargo name theirs) and of mesh-devkafka
# from their --help, with Debian's help2man. Run at build time by
# cmake/Packaging.cmake:
#   cmake -DMESHC=... -DDEVKAFKA=... -DHELP2MAN=... -DVERSION=... -DDATE_EPOCH=...
#         -DOUT=DIR -P ManPages.cmake
# writes DIR/man1/*.1.gz (gzip -9n, as Debian ships man pages) and DIR/man1.stamp
# (DIR/wrappers holds what help2man runs: see below).
# The subcommands are the ones `meshc --help` lists, so a new one gets its
# page without an edit here. DATE_EPOCH (the release's date, from the Debian
# changelog) dates every page, so the pages do not change with the build day.
cmake_minimum_required(VERSION 3.22)
foreach(var MESHC DEVKAFKA HELP2MAN VERSION DATE_EPOCH OUT)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "ManPages.cmake: -D${var}=... is missing")
  endif()
endforeach()

set(man1 ${OUT}/man1)
set(wrappers ${OUT}/wrappers)
file(REMOVE_RECURSE ${man1} ${wrappers})
file(MAKE_DIRECTORY ${man1} ${wrappers})

execute_process(COMMAND ${MESHC} --help OUTPUT_VARIABLE help RESULT_VARIABLE status)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "`${MESHC} --help` failed (${status})")
endif()
# LLVM's "SUBCOMMANDS:" block: "  check    - Parse, resolve and type-check ...".
string(REGEX MATCH "\nSUBCOMMANDS:\n\n(.*)\n\n  Type " block "${help}")
string(REGEX MATCHALL "\n  [a-z][a-z-]* +- [^\n]*" lines "\n${CMAKE_MATCH_1}")
if(NOT lines)
  message(FATAL_ERROR "no subcommands found in `meshc --help`:\n${help}")
endif()

# help2man reads GNU's --help conventions ("Usage:", "Options:", two spaces
# between an option and its text); LLVM's command line library writes
# "OVERVIEW: meshc: ...", "USAGE:", "OPTIONS:", "  --stats   - Print ...",
# and a subcommand's help repeats the overview before "SUBCOMMAND 'name': ...".
# help2man runs the program it is given with --help, so each page has a
# script that runs its command and turns that into GNU's form.
set(gnu_form "-e 's/^OVERVIEW: [^:]*: //' -e 's/^[Uu][Ss][Aa][Gg][Ee]:/Usage:/' -e 's/^OPTIONS:$/Options:/'"
             "-e 's/^\\(  [^ ][^ ]*\\)  *- /\\1  /'")
string(JOIN " " gnu_form ${gnu_form})
set(drop_overview "-e \"1,/^SUBCOMMAND '/{/^SUBCOMMAND '/!d}\" -e \"s/^SUBCOMMAND '[^']*': //\"")

# page PAGE COMMAND SED-ARGS NAME-LINE SEE-ALSO: the gzipped page PAGE.1.gz.
function(page page command filter name see_also)
  set(program ${wrappers}/${page})
  file(WRITE ${program} "#!/bin/sh\n${command} \"$@\" | sed ${filter}\n")
  file(CHMOD ${program} PERMISSIONS OWNER_READ OWNER_WRITE OWNER_EXECUTE)
  file(WRITE ${program}.h2m "[SEE ALSO]\n${see_also}\n")
  execute_process(
    COMMAND ${CMAKE_COMMAND} -E env SOURCE_DATE_EPOCH=${DATE_EPOCH} LC_ALL=C.UTF-8
            ${HELP2MAN} --no-info --section=1 --version-string=${VERSION} --source=meshc
            "--manual=meshc manual" "--name=${name}" --include=${program}.h2m --output=${man1}/${page}.1
            ${program}
    RESULT_VARIABLE status ERROR_VARIABLE error)
  if(NOT status EQUAL 0 OR NOT EXISTS ${man1}/${page}.1)
    message(FATAL_ERROR "help2man ${program} failed (${status}):\n${error}")
  endif()
  execute_process(COMMAND gzip -9nf ${man1}/${page}.1 RESULT_VARIABLE status)
  if(NOT status EQUAL 0)
    message(FATAL_ERROR "gzip ${man1}/${page}.1 failed")
  endif()
endfunction()

set(see_also)
foreach(line IN LISTS lines)
  string(REGEX MATCH "^\n  ([a-z][a-z-]*) +- (.*)$" _ "${line}")
  set(sub ${CMAKE_MATCH_1})
  # The NAME line: lower case, no full stop (man-pages(7)), and no pointer
  # into the source tree's docs/, which the package does not hold.
  string(REGEX REPLACE " \\(docs/[^)]*\\)" "" summary "${CMAKE_MATCH_2}")
  string(SUBSTRING "${summary}" 0 1 first)
  string(SUBSTRING "${summary}" 1 -1 rest)
  string(TOLOWER "${first}" first)
  string(REGEX REPLACE "[. ]+$" "" rest "${rest}")
  page(meshc-${sub} "'${MESHC}' ${sub}" "${drop_overview} ${gnu_form}" "${first}${rest}" ".BR meshc (1)")
  list(APPEND see_also ".BR meshc\\-${sub} (1)")
endforeach()

list(APPEND see_also ".BR mesh\\-devkafka (1)")
list(JOIN see_also ",\n" see_also)
page(meshc "'${MESHC}'" "${gnu_form}" "the compiler for data contracts in a data mesh" "${see_also}")
page(mesh-devkafka "'${DEVKAFKA}'" "${gnu_form}" "an embedded Kafka cluster for development and tests"
  ".BR meshc (1)")
file(WRITE ${OUT}/man1.stamp "")
