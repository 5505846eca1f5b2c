#include "lib/core/status.h"

namespace meshctl::core {

int Status::ExitCode() const {
  switch (code_) {
    case StatusCode::kOk: return kExitOk;
    case StatusCode::kInvalidArgument: return kExitUsage;
    case StatusCode::kDataError: return kExitDataError;
    case StatusCode::kUnavailable: return kExitUnavailable;
    case StatusCode::kInternal: return kExitInternal;
    case StatusCode::kIoError: return kExitIoError;
    case StatusCode::kFailed: return kExitFailure;
  }
  return kExitInternal;
}

}  // namespace meshctl::core
