# CPack settings for the Debian package (`bash scripts/package.sh`).
# Runtime dependencies are computed by dpkg-shlibdeps from the ELF files, so
# they follow whatever libraries this build links (libgrpc++, ...), plus the
# libraries meshctl loads by name (below).
set(CPACK_GENERATOR "DEB")
set(CPACK_PACKAGE_NAME "meshctl")
set(CPACK_PACKAGE_VENDOR "meshctl developers")
set(CPACK_PACKAGE_CONTACT "meshctl developers <meshctl@example.org>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "command-line toolkit for Istio service-mesh operations")
set(CPACK_PACKAGE_DESCRIPTION "meshctl validates and analyzes Istio configuration offline with exact
file:line:col positions, shows Envoy proxy configuration and xDS sync
status, and generates or patches traffic-shifting configuration for
canary releases.")
set(CPACK_PACKAGING_INSTALL_PREFIX "/usr")
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION "admin")
set(CPACK_DEBIAN_PACKAGE_PRIORITY "optional")
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# libcurl and libcrypto are dlopen()ed by soname (lib/io/curl_api.cc,
# crypto_api.cc), so dpkg-shlibdeps cannot see them; shlibdeps' list is
# appended to this one.
set(CPACK_DEBIAN_PACKAGE_DEPENDS "libcurl4 (>= 7.85.0), libssl3")
# The private library lives in /usr/lib/meshctl; dpkg-shlibdeps must look
# there for the binary's own NEEDED entry instead of failing on it.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS_PRIVATE_DIRS "${CMAKE_BINARY_DIR}/_CPack_Packages/Linux/DEB/${CPACK_PACKAGE_NAME}-${PROJECT_VERSION}-Linux/usr/${MESHCTL_PRIVATE_LIBDIR}")
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "bash-completion")
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE "https://example.org/meshctl")
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
# Debian policy files: copyright and a compressed changelog in
# /usr/share/doc/meshctl. lintian passes with no overrides.
set(MESHCTL_DOC_DIR ${CMAKE_INSTALL_DATADIR}/doc/meshctl)
install(FILES ${CMAKE_SOURCE_DIR}/scripts/packaging/copyright DESTINATION ${MESHCTL_DOC_DIR})
add_custom_command(OUTPUT ${CMAKE_BINARY_DIR}/packaging/changelog.gz
  COMMAND ${CMAKE_COMMAND} -E make_directory ${CMAKE_BINARY_DIR}/packaging
  COMMAND gzip -9n -c ${CMAKE_SOURCE_DIR}/scripts/packaging/changelog > ${CMAKE_BINARY_DIR}/packaging/changelog.gz
  DEPENDS ${CMAKE_SOURCE_DIR}/scripts/packaging/changelog VERBATIM)
add_custom_target(meshctl_changelog ALL DEPENDS ${CMAKE_BINARY_DIR}/packaging/changelog.gz)
install(FILES ${CMAKE_BINARY_DIR}/packaging/changelog.gz DESTINATION ${MESHCTL_DOC_DIR})
include(CPack)

