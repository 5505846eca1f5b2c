# conformance-analyze: Istio analyzer conformance runner (see the source's
# header). The ctest entry runs it over ../shared's visible cases from that
# folder (input paths are relative to it, as the corpus README says) and
# fails below the committed floor; without ../shared it is skipped with a
# message (exit code 77).
add_executable(conformance-analyze ${CMAKE_CURRENT_LIST_DIR}/conformance_analyze.cc)
target_link_libraries(conformance-analyze PRIVATE meshctl_lib meshctl_warnings)

set(MESHCTL_ANALYZE_CONFORMANCE_DIR ${CMAKE_SOURCE_DIR}/../shared/conformance/istio-analyze)
add_test(NAME conformance.analyze
  COMMAND sh -c "cd \"$0\" 2>/dev/null && test -f cases.yaml || { echo \"SKIP: $0/cases.yaml not found (../shared is absent)\"; exit 77; }; exec \"$1\" cases.yaml --floor \"$2\""
    ${MESHCTL_ANALYZE_CONFORMANCE_DIR} $<TARGET_FILE:conformance-analyze>
    ${CMAKE_SOURCE_DIR}/tests/conformance/analyze-floor.txt)
set_tests_properties(conformance.analyze PROPERTIES SKIP_RETURN_CODE 77)
