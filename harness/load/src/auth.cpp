// Credentials at the start of a run (auth.hpp).

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <cxh/http/signing.hpp>
#include <cxh/load/auth.hpp>
#include <cxh/load/engine.hpp>
#include <cxh/load/template.hpp>
#include <nlohmann/json.hpp>

namespace cxh::load {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;

std::string value(const std::string& tmpl) {
  auto t = text_template::compile(tmpl);  // env placeholders were checked when parsing
  if (!std::holds_alternative<text_template>(t)) return {};
  return std::get<text_template>(t).render({});
}

std::string form_escape(const std::string& s) {
  std::string o;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
      o += static_cast<char>(c);
    } else {
      char b[4];
      std::snprintf(b, sizeof b, "%%%02X", c);
      o += b;
    }
  }
  return o;
}

// One POST, with a 10 s bound on the whole exchange; the status and body, or an error.
std::variant<std::pair<int, std::string>, std::string> post_once(
    const std::string& target, const std::string& path, const header_list& headers,
    const std::string& body, bool insecure, const std::string& ca_file) {
  bool tls = target.rfind("https://", 0) == 0;
  std::string rest = target.substr(tls ? 8 : 7);
  std::string authority = rest.substr(0, rest.find('/'));
  std::string base = rest.find('/') == std::string::npos ? "" : rest.substr(rest.find('/'));
  while (!base.empty() && base.back() == '/') base.pop_back();
  auto colon = authority.rfind(':');
  bool has_port = colon != std::string::npos && authority.find(']', colon) == std::string::npos;
  std::string host = has_port ? authority.substr(0, colon) : authority;
  std::string port = has_port ? authority.substr(colon + 1) : (tls ? "443" : "80");
  if (!host.empty() && host.front() == '[') host = host.substr(1, host.size() - 2);

  asio::io_context ioc;
  asio::ssl::context ctx(asio::ssl::context::tls_client);
  if (tls) {
    if (auto err = configure_client_tls(ctx, insecure, ca_file); !err.empty()) return err;
  }
  asio::ip::tcp::resolver resolver(ioc);
  beast::tcp_stream plain(ioc);
  beast::ssl_stream<beast::tcp_stream> secure(ioc, ctx);
  bhttp::request<bhttp::string_body> req{bhttp::verb::post, base + path, 11};
  req.set(bhttp::field::host, authority);
  req.set(bhttp::field::content_type, "application/x-www-form-urlencoded");
  for (const auto& [k, v] : headers) req.set(k, v);
  req.body() = body;
  req.prepare_payload();
  bhttp::response<bhttp::string_body> res;
  beast::flat_buffer buf;
  std::string error;
  auto fail = [&](const char* what, beast::error_code ec) {
    if (error.empty()) error = std::string(what) + " " + target + path + ": " + ec.message();
  };
  auto exchange = [&](auto& stream) {
    bhttp::async_write(stream, req, [&](beast::error_code ec, std::size_t) {
      if (ec) return fail("writing to", ec);
      bhttp::async_read(stream, buf, res, [&](beast::error_code rec, std::size_t) {
        if (rec) fail("reading from", rec);
      });
    });
  };
  resolver.async_resolve(host, port, [&](beast::error_code ec, auto results) {
    if (ec) return fail("resolving", ec);
    auto& lowest = tls ? beast::get_lowest_layer(secure) : plain;
    lowest.async_connect(results, [&](beast::error_code cec, auto) {
      if (cec) return fail("connecting to", cec);
      if (!tls) return exchange(plain);
      SSL_set_tlsext_host_name(secure.native_handle(), host.c_str());
      secure.set_verify_callback(asio::ssl::host_name_verification(host));
      secure.async_handshake(asio::ssl::stream_base::client, [&](beast::error_code hec) {
        if (hec) return fail("TLS with", hec);
        exchange(secure);
      });
    });
  });
  ioc.run_for(std::chrono::seconds(10));
  if (!error.empty()) return error;
  if (res.result_int() == 0) return "no answer from " + target + path + " within 10 s";
  return std::pair{static_cast<int>(res.result_int()), res.body()};
}

}  // namespace

std::variant<header_list, std::string> resolve_auth(const profile& p, const std::string& target,
                                                    bool insecure) {
  const auto& a = p.auth;
  header_list out;
  if (!a.api_key.empty()) out.emplace_back(a.api_key_header, value(a.api_key));
  if (a.type == auth_config::kind::basic) {
    out.emplace_back("Authorization",
                     "Basic " + http::base64_encode(value(a.username) + ":" + value(a.password)));
  } else if (a.type == auth_config::kind::oauth) {
    std::string body = "grant_type=" + form_escape(a.grant);
    if (a.grant == "password")
      body += "&username=" + form_escape(value(a.username)) +
              "&password=" + form_escape(value(a.password));
    if (!a.scope.empty()) body += "&scope=" + form_escape(value(a.scope));
    header_list h = out;
    h.emplace_back("Authorization", "Basic " + http::base64_encode(value(a.client_id) + ":" +
                                                                   value(a.client_secret)));
    auto r = post_once(target, a.token_path, h, body, insecure, p.ca_file);
    if (auto* e = std::get_if<std::string>(&r)) return "OAuth token request failed: " + *e;
    auto [status, text] = std::get<0>(r);
    if (status != 200)
      return "OAuth token request to " + a.token_path + " answered " + std::to_string(status) +
             " (check the client and user credentials)";
    auto doc = nlohmann::json::parse(text, nullptr, false);
    if (!doc.is_object() || !doc.contains("access_token") || !doc["access_token"].is_string())
      return "OAuth token answer from " + a.token_path + " has no access_token";
    out.emplace_back("Authorization", "Bearer " + doc["access_token"].get<std::string>());
  }
  return out;
}

}  // namespace cxh::load
