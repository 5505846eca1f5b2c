// meshctl entry point: build the command tree, run it, map the outcome to
// an exit code. Everything else lives in commands/ and lib/.
#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <exception>
#include <iostream>

#include "lib/core/sanitizers.h"
#ifdef MESHCTL_ASAN
#include <sanitizer/lsan_interface.h>
#endif

#include "commands/command.h"
#include "lib/core/exit_codes.h"

namespace {

// A closed descriptor 0, 1 or 2 would be reused by the next file meshctl
// opens (an input read as stdin, output written into a manifest). Fill
// each with /dev/null opened the wrong way round, so that reading stdin or
// writing stdout fails (exit 74) instead; returns whether fd 0 was closed.
bool GuardStandardDescriptors() {
  bool stdin_closed = false;
  for (int fd = 0; fd <= 2; ++fd) {
    int flags = ::fcntl(fd, F_GETFD);
    // Close-on-exec descriptors do not survive exec: one at 0-2 here was
    // opened by a shared library's start-up code after the standard one was
    // closed. It is left to its owner; stdin is still treated as closed.
    if (flags != -1 && (flags & FD_CLOEXEC) != 0) {
      stdin_closed |= fd == 0;
      continue;
    }
    if (flags != -1) continue;
    if (fd == 0) stdin_closed = true;
    int n = ::open("/dev/null", (fd == 0 ? O_WRONLY : O_RDONLY));
    if (n >= 0 && n != fd) {
      ::dup2(n, fd);
      ::close(n);
    }
  }
  return stdin_closed;
}

// Ends the process without running static destructors. gRPC's threads
// (proxy-status, version --remote) outlive main: destroying the statics they
// use under them aborted one CI run in many after the output was complete.
// Nothing meshctl needs happens in a destructor at exit (output is flushed
// here, files are written whole by rename), so none is run.
[[noreturn]] void EndProcess(int code) {
  std::fflush(nullptr);
#ifdef MESHCTL_ASAN
  __lsan_do_leak_check();  // what exit's leak check would have done; exits 23 on a leak
#endif
  std::_Exit(code);
}

}  // namespace

int main(int argc, char** argv) {
  bool stdin_closed = GuardStandardDescriptors();
  std::ios::sync_with_stdio(false);
  meshctl::commands::CommandContext ctx;
  ctx.read_options.stdin_closed = stdin_closed;
  ctx.stdout_is_tty = ::isatty(STDOUT_FILENO) != 0;
  ctx.exits_after_command = true;
  int code;
  try {
    code = meshctl::commands::RunCli(argc, argv, ctx);
  } catch (const std::exception& e) {
    std::cerr << "meshctl: internal error: " << e.what() << "\n";
    code = meshctl::core::kExitInternal;
  } catch (...) {
    std::cerr << "meshctl: internal error\n";
    code = meshctl::core::kExitInternal;
  }
  std::cout.flush();
  if (!std::cout) {
    std::cerr << "meshctl: cannot write to standard output\n";
    if (code == 0) code = meshctl::core::kExitIoError;
  }
  std::cerr.flush();
  EndProcess(code);
}
