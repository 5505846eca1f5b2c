# proxy-status end-to-end helpers: the test control plane (fake-istiod) and a
# real gRPC C++ xDS client (Debian's libgrpc). Both use libmeshctl's generated
# .proto subset. The test binary finds them through compile definitions.
add_executable(meshctl_fake_istiod ${CMAKE_SOURCE_DIR}/tests/xds/fake_istiod.cc)
target_link_libraries(meshctl_fake_istiod PRIVATE meshctl_lib meshctl_xds meshctl_warnings gRPC::grpc++ protobuf::libprotobuf
                      Threads::Threads)
add_executable(meshctl_xds_grpc_client ${CMAKE_SOURCE_DIR}/tests/xds/xds_grpc_client.cc)
target_link_libraries(meshctl_xds_grpc_client PRIVATE meshctl_lib meshctl_xds meshctl_warnings gRPC::grpc++ gRPC::grpc
                      protobuf::libprotobuf Threads::Threads)
add_dependencies(meshctl_tests meshctl_fake_istiod meshctl_xds_grpc_client)
target_compile_definitions(meshctl_tests PRIVATE
  MESHCTL_FAKE_ISTIOD="$<TARGET_FILE:meshctl_fake_istiod>"
  MESHCTL_XDS_GRPC_CLIENT="$<TARGET_FILE:meshctl_xds_grpc_client>")
