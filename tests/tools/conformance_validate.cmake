# conformance-validate: runs lib/validate over an istio-validate conformance
# manifest; the ctest entry checks ../shared's visible cases against the floor
# in tests/conformance/validate-floor.txt (skipped when ../shared is absent).
add_executable(conformance-validate ${CMAKE_SOURCE_DIR}/tests/tools/conformance_validate.cc)
target_link_libraries(conformance-validate PRIVATE meshctl_lib meshctl_warnings)
set(MESHCTL_VALIDATE_CASES ${CMAKE_SOURCE_DIR}/../shared/conformance/istio-validate/cases.yaml)
add_test(NAME conformance-validate
  COMMAND sh -c "if [ ! -f '${MESHCTL_VALIDATE_CASES}' ]; then echo 'SKIP: ${MESHCTL_VALIDATE_CASES} not found (../shared absent)'; exit 0; fi; exec '$<TARGET_FILE:conformance-validate>' '${MESHCTL_VALIDATE_CASES}' --floor '${CMAKE_SOURCE_DIR}/tests/conformance/validate-floor.txt'"
  WORKING_DIRECTORY ${CMAKE_SOURCE_DIR})
