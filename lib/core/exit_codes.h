// Process exit codes used by every meshctl command (sysexits style and
// istioctl-compatible). Pinned by tests/lib/core/exit_codes_test.cc: never
// renumber one, scripts depend on them.
#pragma once

namespace meshctl::core {

inline constexpr int kExitOk = 0;
// istioctl's generic failure; `meshctl validate` uses it for invalid resources.
inline constexpr int kExitFailure = 1;
inline constexpr int kExitUsage = 64;        // EX_USAGE: bad flag, value or command
inline constexpr int kExitDataError = 65;    // EX_DATAERR: input that cannot be parsed
inline constexpr int kExitUnavailable = 69;  // EX_UNAVAILABLE: endpoint down, refused
inline constexpr int kExitInternal = 70;     // EX_SOFTWARE: a bug in meshctl
inline constexpr int kExitIoError = 74;      // EX_IOERR: file unreadable, write failed
inline constexpr int kExitFindings = 79;     // findings at or above the failure threshold

}  // namespace meshctl::core
