// The floor for load benchmarks: a plain libyaml event parse of a file (read
// whole, every event pulled and freed, nothing built). Prints bytes, events
// and seconds as one JSON line.
#include <yaml.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: meshctl_yaml_floor FILE\n";
    return 64;
  }
  std::ifstream in(argv[1], std::ios::binary);
  if (!in) {
    std::cerr << "cannot read " << argv[1] << "\n";
    return 74;
  }
  std::stringstream ss;
  ss << in.rdbuf();
  std::string data = ss.str();
  auto t0 = std::chrono::steady_clock::now();
  yaml_parser_t parser;
  yaml_parser_initialize(&parser);
  yaml_parser_set_input_string(&parser, reinterpret_cast<const unsigned char*>(data.data()), data.size());
  long events = 0;
  bool done = false;
  while (!done) {
    yaml_event_t ev;
    if (!yaml_parser_parse(&parser, &ev)) {
      std::cerr << "parse error: " << (parser.problem ? parser.problem : "?") << "\n";
      return 65;
    }
    done = ev.type == YAML_STREAM_END_EVENT;
    yaml_event_delete(&ev);
    ++events;
  }
  yaml_parser_delete(&parser);
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::printf("{\"bytes\": %zu, \"events\": %ld, \"seconds\": %.6f}\n", data.size(), events, secs);
  return 0;
}
