#include <catch2/catch.hpp>

#include "lib/core/exit_codes.h"
#include "lib/core/status.h"

using namespace meshctl::core;

// Scripts depend on these numbers; they are part of the interface.
TEST_CASE("exit codes are pinned", "[core]") {
  CHECK(kExitOk == 0);
  CHECK(kExitFailure == 1);
  CHECK(kExitUsage == 64);
  CHECK(kExitDataError == 65);
  CHECK(kExitUnavailable == 69);
  CHECK(kExitInternal == 70);
  CHECK(kExitIoError == 74);
  CHECK(kExitFindings == 79);
}

TEST_CASE("status codes map to exit codes", "[core]") {
  CHECK(Status::Ok().ExitCode() == 0);
  CHECK(InvalidArgument("x").ExitCode() == 64);
  CHECK(DataError("x").ExitCode() == 65);
  CHECK(Unavailable("x").ExitCode() == 69);
  CHECK(Internal("x").ExitCode() == 70);
  CHECK(IoError("x").ExitCode() == 74);
  CHECK(Failed("x").ExitCode() == 1);
}

namespace {
Result<int> Half(int x) {
  if (x % 2) return DataError("odd");
  return x / 2;
}
Result<int> Quarter(int x) {
  ASSIGN_OR_RETURN(int h, Half(x));
  return Half(h);
}
}  // namespace

TEST_CASE("ASSIGN_OR_RETURN propagates the first error", "[core]") {
  CHECK(Quarter(8).value() == 2);
  CHECK(Quarter(6).status().message() == "odd");
  CHECK(Quarter(6).status().code() == StatusCode::kDataError);
}
