// A small HTTP/1.1 server on 127.0.0.1 (ephemeral port) for transport tests:
// it records every request (method, path, query, body) and answers through a
// handler, with fault knobs (slow response, any status, truncated body,
// connection closed without a response). One connection at a time,
// `Connection: close` on every response.
#pragma once

#include <atomic>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace meshctl::testing {

struct RecordedRequest {
  std::string method;  // "GET"
  std::string path;    // "/config_dump"
  std::string query;   // "mask=bootstrap" (no '?'), "" when none
  std::string body;
};

struct FakeResponse {
  int status = 200;
  std::string body;
  std::string content_type = "application/json";
  int delay_ms = 0;                // wait this long before answering
  bool truncate_body = false;      // announce the full length, send half, close
  bool close_without_response = false;  // read the request, then hang up
};

class FakeHttpServer {
 public:
  using Handler = std::function<FakeResponse(const RecordedRequest&)>;

  explicit FakeHttpServer(Handler handler);
  ~FakeHttpServer();
  FakeHttpServer(const FakeHttpServer&) = delete;
  FakeHttpServer& operator=(const FakeHttpServer&) = delete;

  int port() const { return port_; }
  // "127.0.0.1:<port>"
  std::string address() const;
  std::vector<RecordedRequest> requests() const;

 private:
  void Serve();
  void HandleConnection(int fd);

  Handler handler_;
  int listen_fd_ = -1;
  int stop_pipe_[2] = {-1, -1};
  int port_ = 0;
  std::thread thread_;
  mutable std::mutex mu_;
  std::vector<RecordedRequest> requests_;
};

}  // namespace meshctl::testing
