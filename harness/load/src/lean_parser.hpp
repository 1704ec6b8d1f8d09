#pragma once
// A response parser that keeps only what the load engine uses: the status, keep-alive, and the
// body when asked (captures, checks). No header storage, no allocation per response.

#include <boost/beast/http/basic_parser.hpp>
#include <string>

namespace cxh::load::detail {

class lean_parser final : public boost::beast::http::basic_parser<false> {
 public:
  int status = 0;
  std::string* keep = nullptr;  // where the body goes; null: discarded
  std::string content_type;

 private:
  using ec_t = boost::beast::error_code;
  using sv = boost::beast::string_view;
  void on_request_impl(boost::beast::http::verb, sv, sv, int, ec_t&) override {}
  void on_response_impl(int code, sv, int, ec_t&) override { status = code; }
  void on_field_impl(boost::beast::http::field f, sv, sv value, ec_t&) override {
    if (keep && f == boost::beast::http::field::content_type) content_type.assign(value);
  }
  void on_header_impl(ec_t&) override {}
  void on_body_init_impl(const boost::optional<std::uint64_t>& n, ec_t&) override {
    if (keep && n && *n < (1u << 20)) keep->reserve(*n);
  }
  std::size_t on_body_impl(sv body, ec_t&) override {
    if (keep) keep->append(body.data(), body.size());
    return body.size();
  }
  void on_chunk_header_impl(std::uint64_t, sv, ec_t&) override {}
  std::size_t on_chunk_body_impl(std::uint64_t, sv body, ec_t&) override {
    if (keep) keep->append(body.data(), body.size());
    return body.size();
  }
  void on_finish_impl(ec_t&) override {}
};

}  // namespace cxh::load::detail
