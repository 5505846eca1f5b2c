// The parser choice for proxy-config, measured: parses one file with
// nlohmann::json or simdjson (DOM) and walks it once (counts values), so
// both do comparable work. Run it under /usr/bin/time -v for peak RSS.
//   meshctl_json_parse_bench nlohmann|simdjson <file.json> [repeat=3]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>
#include <simdjson.h>

namespace {

size_t Count(const nlohmann::json& v) {
  size_t n = 1;
  if (v.is_structured()) {
    for (const auto& x : v) n += Count(x);
  }
  return n;
}

size_t Count(simdjson::dom::element v) {
  size_t n = 1;
  simdjson::dom::array arr;
  simdjson::dom::object obj;
  if (v.get_array().get(arr) == simdjson::SUCCESS) {
    for (simdjson::dom::element x : arr) n += Count(x);
  } else if (v.get_object().get(obj) == simdjson::SUCCESS) {
    for (simdjson::dom::key_value_pair kv : obj) n += Count(kv.value);
  }
  return n;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::cerr << "usage: meshctl_json_parse_bench nlohmann|simdjson <file.json> [repeat=3]\n";
    return 64;
  }
  std::string which = argv[1];
  int repeat = argc > 3 ? std::atoi(argv[3]) : 3;
  double best = 1e18;
  size_t values = 0;
  for (int r = 0; r < repeat; ++r) {
    auto t0 = std::chrono::steady_clock::now();
    if (which == "nlohmann") {
      std::ifstream in(argv[2], std::ios::binary);
      std::stringstream ss;
      ss << in.rdbuf();
      auto j = nlohmann::json::parse(ss.str());
      values = Count(j);
    } else if (which == "simdjson") {
      simdjson::dom::parser parser;
      simdjson::padded_string buf;
      if (simdjson::padded_string::load(argv[2]).get(buf) != simdjson::SUCCESS) return 74;
      simdjson::dom::element doc;
      if (parser.parse(buf).get(doc) != simdjson::SUCCESS) return 65;
      values = Count(doc);
    } else {
      return 64;
    }
    double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    if (ms < best) best = ms;
  }
  std::printf("%s: %.1f ms (best of %d), %zu values\n", which.c_str(), best, repeat, values);
  return 0;
}
