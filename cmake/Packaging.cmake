# Packaging.cmake: the release package. `cpack -G DEB` in the build directory
# writes meshc_VERSION_amd64.deb: what `cmake --install` installs, under /usr,
# stripped, with man pages made from --help (help2man), the Debian changelog
# and copyright, and Depends computed by dpkg-shlibdeps from what the
# binaries link (docs/cmake.md, "The Debian package"; ctest `package`).
include(GNUInstallDirs)

# The Debian changelog's top entry is the release: its version must be the
# project's, its trailer names the maintainer and dates the man pages.
set(MESHC_DEBIAN_DIR ${CMAKE_CURRENT_LIST_DIR}/debian)
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${MESHC_DEBIAN_DIR}/changelog)
file(STRINGS ${MESHC_DEBIAN_DIR}/changelog changelog_top LIMIT_COUNT 1)
if(NOT changelog_top MATCHES "^meshc \\(${PROJECT_VERSION}\\) ")
  message(FATAL_ERROR "cmake/debian/changelog starts with '${changelog_top}': "
                      "add an entry for meshc ${PROJECT_VERSION} at its top")
endif()
file(STRINGS ${MESHC_DEBIAN_DIR}/changelog changelog_trailers REGEX "^ -- ")
list(GET changelog_trailers 0 changelog_trailer)
string(REGEX MATCH "^ -- (.+>)  (.+)$" _ "${changelog_trailer}")
set(MESHC_MAINTAINER "${CMAKE_MATCH_1}")
set(MESHC_RELEASE_DATE "${CMAKE_MATCH_2}")
execute_process(COMMAND date -u -d "${MESHC_RELEASE_DATE}" +%s OUTPUT_VARIABLE MESHC_RELEASE_EPOCH
                OUTPUT_STRIP_TRAILING_WHITESPACE RESULT_VARIABLE status)
if(NOT status EQUAL 0 OR NOT MESHC_MAINTAINER)
  message(FATAL_ERROR "cmake/debian/changelog: cannot read the top entry's trailer '${changelog_trailer}'")
endif()

set(meshc_package_files)
set(MESHC_DOC_DIR ${CMAKE_INSTALL_DATADIR}/doc/meshc)
set(changelog_gz ${PROJECT_BINARY_DIR}/debian/changelog.gz)
add_custom_command(OUTPUT ${changelog_gz}
  COMMAND ${CMAKE_COMMAND} -E copy ${MESHC_DEBIAN_DIR}/changelog ${PROJECT_BINARY_DIR}/debian/changelog
  COMMAND gzip -9nf ${PROJECT_BINARY_DIR}/debian/changelog
  DEPENDS ${MESHC_DEBIAN_DIR}/changelog VERBATIM)
list(APPEND meshc_package_files ${changelog_gz})
install(FILES ${changelog_gz} ${MESHC_DEBIAN_DIR}/copyright DESTINATION ${MESHC_DOC_DIR})

# Man pages from --help, for meshc, each subcommand and mesh-devkafka
# (cmake/ManPages.cmake), rebuilt whenever a binary is.
find_program(HELP2MAN help2man)
if(HELP2MAN)
  set(man_dir ${PROJECT_BINARY_DIR}/man)
  add_custom_command(OUTPUT ${man_dir}/man1.stamp
    COMMAND ${CMAKE_COMMAND} -DMESHC=$<TARGET_FILE:meshc> -DDEVKAFKA=$<TARGET_FILE:mesh-devkafka>
            -DHELP2MAN=${HELP2MAN} -DVERSION=${PROJECT_VERSION} -DDATE_EPOCH=${MESHC_RELEASE_EPOCH}
            -DOUT=${man_dir} -P ${CMAKE_CURRENT_LIST_DIR}/ManPages.cmake
    DEPENDS meshc mesh-devkafka ${CMAKE_CURRENT_LIST_DIR}/ManPages.cmake
    COMMENT "help2man: the man pages of meshc, its subcommands and mesh-devkafka" VERBATIM)
  list(APPEND meshc_package_files ${man_dir}/man1.stamp)
  install(DIRECTORY ${man_dir}/man1 DESTINATION ${CMAKE_INSTALL_MANDIR})
else()
  message(WARNING "help2man not found: no man pages, and cpack will refuse to build the package "
                  "(tools/setup.sh installs help2man; then configure again)")
endif()
add_custom_target(meshc_package_files ALL DEPENDS ${meshc_package_files})

set(CPACK_PACKAGE_NAME meshc)
set(CPACK_PACKAGE_VENDOR "the meshc developers")
set(CPACK_PACKAGE_CONTACT "${MESHC_MAINTAINER}")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "compiler toolchain for data contracts in a data mesh")
# The long description, one list item a line of at most 80 characters (none
# starting with a full stop: Debian reads that as a control line).
set(CPACK_PACKAGE_DESCRIPTION
    "meshc checks data contracts written in .mesh files (schemas with constraints,"
    "Kafka topic, SLAs, quality rules, access and masking) and the governance"
    "policies a platform team writes for them, reports breaking changes against"
    "a baseline or a git revision, and generates C++ validators, producers,"
    "consumers and a validating Kafka gate, JSON Schemas, catalog manifests and"
    "an HTML catalog."
    ""
    "The package also holds mesh-devkafka (an embedded Kafka cluster for"
    "development and tests), the standard library of contracts and policies,"
    "the meshrt runtime that generated C++ links, with its headers, the CMake"
    "package (find_package(meshc), meshc_generate()) and editor support"
    "for .mesh files (a TextMate grammar and a VS Code extension).")
list(JOIN CPACK_PACKAGE_DESCRIPTION "\n" CPACK_PACKAGE_DESCRIPTION)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_INSTALL_DEFAULT_DIRECTORY_PERMISSIONS
    OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ GROUP_EXECUTE WORLD_READ WORLD_EXECUTE)
execute_process(COMMAND dpkg --print-architecture OUTPUT_VARIABLE CPACK_DEBIAN_PACKAGE_ARCHITECTURE
                OUTPUT_STRIP_TRAILING_WHITESPACE)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)  # meshc_VERSION_ARCH.deb
set(MESHC_DEB_FILE_NAME meshc_${PROJECT_VERSION}_${CPACK_DEBIAN_PACKAGE_ARCHITECTURE}.deb)  # for the tests
set(CPACK_DEBIAN_PACKAGE_SECTION devel)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
# Depends: the shared libraries meshc and mesh-devkafka load, as
# dpkg-shlibdeps finds their packages (with the versions their symbols need).
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# Recommends: what find_package(meshrt) (so find_package(meshc) and
# meshc_generate()) needs to compile and link generated C++ (the find_dependency
# calls of runtime/meshrtConfig.cmake.in). Not Depends: running meshc (check,
# build, CI) does not need them, and apt-get --no-install-recommends leaves them out.
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS
    "pkg-config, libre2-dev, librdkafka-dev, libsimdjson-dev, prometheus-cpp-dev, libabsl-dev, libssl-dev")
# Without man pages the package is incomplete: refuse it, and say why.
set(CPACK_MESHC_HELP2MAN "${HELP2MAN}")
set(CPACK_PROJECT_CONFIG_FILE ${CMAKE_CURRENT_LIST_DIR}/CPackChecks.cmake)
include(CPack)
