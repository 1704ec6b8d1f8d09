// The HTTP client against our own server over loopback: methods, headers, bodies, keep-alive
// reuse, concurrency, URL errors, TLS verification.
#include <gtest/gtest.h>

#include <cstdlib>
#include <cxh/http/client.hpp>
#include <cxh/http/server.hpp>
#include <filesystem>
#include <fstream>

// Requests are written with designated initializers; the members left out take their default
// member initializers (C++20), which GCC 12 still reports as missing (GCC bug 96868).
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

namespace {

using namespace cxh::http;

std::unique_ptr<server> echo_server(tls_options tls = {}) {
  server_options o;
  o.tls = std::move(tls);
  auto s = std::make_unique<server>(o, [](const request& r) {
    response out = response::json(200, "{}");
    std::string ua(r.fields.get("User-Agent").value_or(""));
    out.body = std::string(R"({"method":")") + r.method + R"(","target":")" + r.target +
               R"(","length":)" + std::to_string(r.body.size()) + R"(,"ua":")" + ua + "\"}";
    if (r.path() == "/status/404") out.status = 404;
    out.fields.set("X-Echo", std::string(r.fields.get("X-Test").value_or("")));
    return out;
  });
  EXPECT_EQ(s->start(), "");
  return s;
}

std::string base(const server& s, const char* scheme = "http") {
  return std::string(scheme) + "://127.0.0.1:" + std::to_string(s.port());
}

TEST(HttpClient, GetAndPostWithHeadersAndBody) {
  auto s = echo_server();
  client c;
  client_request get;
  get.url = base(*s) + "/a/b?x=1&y=%20";
  get.fields.add("X-Test", "hello");
  auto r = c.send(get);
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_EQ(r.response->status, 200);
  EXPECT_NE(r.response->body.find(R"("target":"/a/b?x=1&y=%20")"), std::string::npos);
  EXPECT_NE(r.response->body.find("cxharness/"), std::string::npos);
  EXPECT_EQ(r.response->fields.get("x-echo").value_or(""), "hello");

  client_request post;
  post.method = "POST";
  post.url = base(*s) + "/p";
  post.body = std::string(5000, 'z');
  r = c.send(post);
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_NE(r.response->body.find(R"("length":5000)"), std::string::npos);
  EXPECT_GT(r.elapsed.count(), 0);
}

TEST(HttpClient, ANon2xxIsAResponseNotAnError) {
  auto s = echo_server();
  client c;
  auto r = c.send({.method = "DELETE", .url = base(*s) + "/status/404"});
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_EQ(r.response->status, 404);
}

TEST(HttpClient, KeepAliveReusesOneConnection) {
  auto s = echo_server();
  client c;
  for (int i = 0; i < 20; ++i) {
    auto r = c.send({.url = base(*s) + "/k"});
    ASSERT_TRUE(r.ok()) << r.error;
    EXPECT_EQ(r.reused_connection, i > 0);
  }
  EXPECT_EQ(c.connections_opened(), 1u);
}

TEST(HttpClient, ReconnectsWhenThePooledConnectionWasClosed) {
  server_options o;
  o.idle_timeout = std::chrono::milliseconds(100);
  server s(o, [](const request&) { return response::json(200, "{}"); });
  ASSERT_EQ(s.start(), "");
  client c;
  ASSERT_TRUE(c.send({.url = base(s) + "/"}).ok());
  std::this_thread::sleep_for(std::chrono::milliseconds(400));  // the server closes the idle one
  auto r = c.send({.url = base(s) + "/"});
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_EQ(c.connections_opened(), 2u);
}

TEST(HttpClient, ManyConcurrentRequests) {
  auto s = echo_server();
  client_options o;
  o.threads = 2;
  client c(o);
  std::vector<std::future<outcome>> futures;
  for (int i = 0; i < 200; ++i) {
    futures.push_back(c.send_future({.url = base(*s) + "/n/" + std::to_string(i)}));
  }
  for (int i = 0; i < 200; ++i) {
    auto r = futures[i].get();
    ASSERT_TRUE(r.ok()) << r.error;
    EXPECT_NE(r.response->body.find("/n/" + std::to_string(i) + "\""), std::string::npos);
  }
}

TEST(HttpClient, BadUrlsAreErrorsWithTheReason) {
  client c;
  for (const char* url : {"not a url", "ftp://x/", "http:///nohost", "http://u:p@127.0.0.1/"}) {
    auto r = c.send({.url = url});
    EXPECT_EQ(r.phase, error_phase::url) << url;
    EXPECT_NE(r.error.find(url), std::string::npos) << r.error;
  }
  auto header = c.send({.url = "http://127.0.0.1:1/", .fields = [] {
                          headers h;
                          h.add("X-Bad", "a\r\nInjected: yes");
                          return h;
                        }()});
  EXPECT_EQ(header.phase, error_phase::url);
}

TEST(HttpClient, RefusedConnectionIsAConnectError) {
  std::uint16_t port;
  {
    auto s = echo_server();
    port = s->port();
    s->stop();
  }
  client c;
  auto r = c.send({.url = "http://127.0.0.1:" + std::to_string(port) + "/"});
  EXPECT_EQ(r.phase, error_phase::connect) << r.error;
  EXPECT_NE(r.error.find("127.0.0.1"), std::string::npos);
}

TEST(HttpClient, TlsVerificationIsOnByDefault) {
  auto s = echo_server({.enabled = true, .self_signed = true});
  client strict;
  auto r = strict.send({.url = base(*s, "https") + "/"});
  EXPECT_EQ(r.phase, error_phase::tls) << r.error;
  EXPECT_NE(r.error.find("--insecure"), std::string::npos) << r.error;

  client_options insecure;
  insecure.verify_tls = false;
  client lax(insecure);
  r = lax.send({.url = base(*s, "https") + "/t"});
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_EQ(r.response->status, 200);
}

TEST(HttpClient, TlsWithACaFileVerifiesTheHostName) {
  namespace fs = std::filesystem;
  fs::path dir = fs::temp_directory_path() / ("cxh-client-ca-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  std::string cert = (dir / "cert.pem").string(), key = (dir / "key.pem").string();
  std::string cmd =
      "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 1 "
      "-subj /CN=localhost -addext subjectAltName=IP:127.0.0.1,DNS:localhost -keyout " +
      key + " -out " + cert + " >/dev/null 2>&1";
  if (std::system(cmd.c_str()) != 0) GTEST_SKIP() << "openssl command not available";
  auto s = echo_server({.enabled = true, .cert_file = cert, .key_file = key});
  client_options o;
  o.ca_file = cert;
  client c(o);
  auto r = c.send({.url = base(*s, "https") + "/ok"});
  ASSERT_TRUE(r.ok()) << r.error;
  r = c.send({.url = "https://localhost:" + std::to_string(s->port()) + "/ok"});
  ASSERT_TRUE(r.ok()) << r.error;

  client_options missing;
  missing.ca_file = (dir / "absent.pem").string();
  client bad(missing);
  r = bad.send({.url = base(*s, "https") + "/"});
  EXPECT_EQ(r.phase, error_phase::tls);
  EXPECT_NE(r.error.find("absent.pem"), std::string::npos) << r.error;
  fs::remove_all(dir);
}

}  // namespace
