// End to end: the API stays answering whatever a client sends. Only GET and
// HEAD (405, the body never read); bounded headers (431) and bodies (413);
// idle and slow connections hold a pool thread for seconds at most and do
// not keep the API from others.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>

#include "tests/harness.h"

namespace safetynet::test {
namespace {

// A raw TCP connection to the daemon.
class Conn {
 public:
  explicit Conn(int port) : fd_(::socket(AF_INET, SOCK_STREAM, 0)) {
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(static_cast<uint16_t>(port));
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ok_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&a), sizeof(a)) == 0;
    timeval tv{10, 0};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
  }
  ~Conn() { ::close(fd_); }
  bool ok() const { return ok_; }
  void Send(const std::string& s) { (void)!::send(fd_, s.data(), s.size(), MSG_NOSIGNAL); }
  // What the server answers until it closes or 10 s pass.
  std::string Receive() {
    std::string out;
    char buf[4096];
    for (ssize_t n; (n = ::recv(fd_, buf, sizeof(buf), 0)) > 0;) out.append(buf, static_cast<size_t>(n));
    return out;
  }

 private:
  int fd_;
  bool ok_ = false;
};

class HttpLimitsE2E : public LiveLedgerTest {};

TEST_F(HttpLimitsE2E, OnlyGetAndHeadAndNoBodyIsReadForOthers) {
  // An unauthenticated POST announcing a gigabyte: answered 405 at once, the body never read.
  Conn post(port());
  ASSERT_TRUE(post.ok());
  post.Send("POST /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: 1000000000\r\n\r\nsome bytes");
  const auto start = std::chrono::steady_clock::now();
  const std::string answer = post.Receive();
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(3));
  EXPECT_NE(answer.find("HTTP/1.1 405"), std::string::npos) << answer;
  EXPECT_NE(answer.find("Allow: GET, HEAD"), std::string::npos) << answer;
  for (const char* method : {"PUT", "DELETE", "PATCH", "OPTIONS"}) {
    Conn c(port());
    c.Send(std::string(method) + " /v1/coverage HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    EXPECT_NE(c.Receive().find("HTTP/1.1 405"), std::string::npos) << method;
  }
  Conn head(port());
  head.Send("HEAD /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  const std::string h = head.Receive();
  EXPECT_NE(h.find("HTTP/1.1 200"), std::string::npos) << h;
  EXPECT_EQ(h.find("{\"status\""), std::string::npos) << "HEAD answered with a body";
}

TEST_F(HttpLimitsE2E, HeadersAndBodiesAreBounded) {
  std::string many = "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n";
  for (int i = 0; i < 100; ++i) many += "X-Pad-" + std::to_string(i) + ": y\r\n";
  Conn c(port());
  c.Send(many + "\r\n");
  EXPECT_NE(c.Receive().find("HTTP/1.1 431"), std::string::npos);
  Conn body(port());
  body.Send("GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: 100000\r\n\r\n" +
            std::string(100000, 'b'));
  EXPECT_NE(body.Receive().find("HTTP/1.1 413"), std::string::npos);
  Conn line(port());
  line.Send("GET /v1/coverage?region=" + std::string(20000, '2') + " HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_NE(line.Receive().find("HTTP/1.1 414"), std::string::npos);
}

TEST_F(HttpLimitsE2E, IdleAndSlowConnectionsDoNotBlockTheApi) {
  // Twenty connections that send nothing, twenty that send a header a few
  // bytes at a time and never finish: the API still answers at once.
  std::vector<std::unique_ptr<Conn>> idle, slow;
  for (int i = 0; i < 20; ++i) {
    idle.push_back(std::make_unique<Conn>(port()));
    slow.push_back(std::make_unique<Conn>(port()));
    slow.back()->Send("GET /healthz HTTP/1.1\r\nX-Slow: ");
  }
  const auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < 20; ++i) EXPECT_EQ(HttpGet(port(), "/healthz").status, 200);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(2));
  // The idle ones are closed within the read timeout (5 s), not held.
  const auto closed_by = std::chrono::steady_clock::now();
  idle.front()->Receive();
  EXPECT_LT(std::chrono::steady_clock::now() - closed_by, std::chrono::seconds(8));
}

}  // namespace
}  // namespace safetynet::test
