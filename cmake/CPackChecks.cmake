# CPackChecks.cmake: read by cpack before it packages (CPACK_PROJECT_CONFIG_FILE
# of cmake/Packaging.cmake): refuses a package that would be incomplete.
if(NOT CPACK_MESHC_HELP2MAN)
  message(FATAL_ERROR "help2man was not found when this build was configured, so there are no man pages "
                      "to package: install it (apt-get install help2man, or bash tools/setup.sh), "
                      "configure again and rebuild")
endif()
