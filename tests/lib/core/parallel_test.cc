#include "lib/core/parallel.h"

#include <atomic>
#include <stdexcept>
#include <vector>

#include <catch2/catch.hpp>

namespace meshctl::core {
namespace {

TEST_CASE("RunTasks runs every task once on any number of threads", "[core]") {
  CHECK(UsableCpus() >= 1);
  for (size_t threads : {0, 1, 2, 7, 64}) {
    for (size_t count : {0, 1, 5, 100}) {
      std::vector<std::atomic<int>> runs(count);
      RunTasks(count, threads, [&](size_t i) { runs[i].fetch_add(1); });
      for (size_t i = 0; i < count; ++i) CHECK(runs[i].load() == 1);
    }
  }
}

TEST_CASE("RunTasks rethrows a task's exception after the rest ran", "[core]") {
  for (size_t threads : {1, 3}) {
    std::atomic<int> done{0};
    CHECK_THROWS_WITH(RunTasks(10, threads,
                               [&](size_t i) {
                                 if (i == 4) throw std::runtime_error("task 4");
                                 done.fetch_add(1);
                               }),
                      "task 4");
    CHECK(done.load() == 9);
  }
}

}  // namespace
}  // namespace meshctl::core
