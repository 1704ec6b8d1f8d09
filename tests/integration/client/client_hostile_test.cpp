// The client against a server that misbehaves: every case ends within its timeout with an error
// naming the phase, never a crash or an unbounded read.
#include <gtest/gtest.h>

#include <cxh/http/client.hpp>

#include "hostile_server.hpp"

// Designated initializers leave members to their defaults (C++20); GCC 12 warns regardless
// (GCC bug 96868).
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

namespace {

using namespace cxh::http;
using cxh::testing::hostile;
using cxh::testing::hostile_server;

outcome against(hostile behaviour, client_options o = {}) {
  hostile_server s(behaviour);
  o.request_timeout = std::chrono::milliseconds(1500);
  o.body_limit = 1024 * 1024;
  client c(o);
  return c.send({.url = s.url("/x")});
}

TEST(HttpClientHostile, Reset) {
  auto r = against(hostile::reset);
  EXPECT_FALSE(r.ok());
  EXPECT_TRUE(r.phase == error_phase::read || r.phase == error_phase::write) << r.error;
}

TEST(HttpClientHostile, Garbage) {
  auto r = against(hostile::garbage);
  EXPECT_EQ(r.phase, error_phase::protocol) << r.error;
}

TEST(HttpClientHostile, TruncatedBody) {
  auto r = against(hostile::truncated_body);
  EXPECT_EQ(r.phase, error_phase::read) << r.error;
}

TEST(HttpClientHostile, EndlessBodyHitsTheLimit) {
  auto r = against(hostile::endless_body);
  EXPECT_TRUE(r.phase == error_phase::limit || r.phase == error_phase::timeout) << r.error;
}

TEST(HttpClientHostile, HugeContentLengthIsRefusedAtOnce) {
  auto r = against(hostile::huge_content_length);
  EXPECT_EQ(r.phase, error_phase::limit) << r.error;
  EXPECT_LT(r.elapsed, std::chrono::milliseconds(1500));
}

TEST(HttpClientHostile, SilentServerTimesOut) {
  auto r = against(hostile::silent);
  EXPECT_EQ(r.phase, error_phase::timeout) << r.error;
  EXPECT_GE(r.elapsed, std::chrono::milliseconds(1400));
  EXPECT_LT(r.elapsed, std::chrono::milliseconds(10000));
}

TEST(HttpClientHostile, EndlessHeadersHitTheHeaderLimit) {
  auto r = against(hostile::endless_headers);
  EXPECT_EQ(r.phase, error_phase::limit) << r.error;
}

TEST(HttpClientHostile, ControlAnswerIsRead) {
  auto r = against(hostile::ok_json);
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_EQ(r.response->body, "{}");
}

}  // namespace
