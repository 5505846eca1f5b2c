// meshctl entry point: build the command tree, run it, map the outcome to
// an exit code. Everything else lives in commands/ and lib/.
#include <unistd.h>

#include <exception>
#include <iostream>

#include "commands/command.h"
#include "lib/core/exit_codes.h"

int main(int argc, char** argv) {
  std::ios::sync_with_stdio(false);
  meshctl::commands::CommandContext ctx;
  ctx.stdout_is_tty = ::isatty(STDOUT_FILENO) != 0;
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
  return code;
}
