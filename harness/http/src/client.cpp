#include <atomic>
#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <cxh/http/client.hpp>
#include <map>
#include <mutex>
#include <thread>
#include <vector>

#include "client_connection.hpp"

namespace cxh::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using asio::awaitable;
using tcp = asio::ip::tcp;
using clock = std::chrono::steady_clock;

std::string_view to_string(error_phase p) {
  switch (p) {
    case error_phase::none:
      return "none";
    case error_phase::url:
      return "url";
    case error_phase::resolve:
      return "resolve";
    case error_phase::connect:
      return "connect";
    case error_phase::tls:
      return "tls";
    case error_phase::write:
      return "write";
    case error_phase::read:
      return "read";
    case error_phase::timeout:
      return "timeout";
    case error_phase::limit:
      return "limit";
    case error_phase::protocol:
      return "protocol";
  }
  return "?";
}

struct client::impl {
  client_options opts;
  asio::io_context ioc;
  asio::executor_work_guard<asio::io_context::executor_type> work{ioc.get_executor()};
  std::vector<std::thread> threads;
  std::unique_ptr<asio::ssl::context> tls;
  std::string tls_setup_error;  // reported on every https request when the context failed
  std::mutex pool_mutex;
  std::map<std::string, std::vector<std::unique_ptr<detail::connection>>> idle;
  std::atomic<std::uint64_t> opened{0};

  explicit impl(client_options o) : opts(std::move(o)) {
    tls = std::make_unique<asio::ssl::context>(asio::ssl::context::tls_client);
    tls_setup_error = detail::configure_client_tls(*tls, opts);
    unsigned n = opts.threads == 0 ? 1 : opts.threads;
    for (unsigned i = 0; i < n; ++i) threads.emplace_back([this] { ioc.run(); });
  }

  ~impl() {
    {
      std::lock_guard lock(pool_mutex);
      idle.clear();
    }
    work.reset();
    ioc.stop();
    for (auto& t : threads) t.join();
  }

  std::unique_ptr<detail::connection> take_idle(const std::string& origin) {
    std::lock_guard lock(pool_mutex);
    auto it = idle.find(origin);
    if (it == idle.end() || it->second.empty()) return nullptr;
    auto c = std::move(it->second.back());
    it->second.pop_back();
    return c;
  }

  void give_back(std::unique_ptr<detail::connection> c) {
    std::lock_guard lock(pool_mutex);
    auto& list = idle[c->origin];
    if (list.size() < opts.max_idle_per_origin) list.push_back(std::move(c));
  }

  awaitable<outcome> run(client_request req) {
    const auto started = clock::now();
    outcome out;
    std::string why;
    auto url = parse_url(req.url, &why);
    if (!url) {
      out.phase = error_phase::url;
      out.error = why;
      co_return out;
    }
    for (const auto& [name, value] : req.fields.fields()) {
      if (name.empty() || name.find_first_of("\r\n:") != std::string::npos ||
          value.find_first_of("\r\n") != std::string::npos) {
        out.phase = error_phase::url;
        out.error = "header '" + name + "' is empty or contains a line break or colon";
        co_return out;
      }
    }
    if (url->scheme == "https" && !tls_setup_error.empty()) {
      out.phase = error_phase::tls;
      out.error = tls_setup_error;
      co_return out;
    }
    const auto timeout = req.timeout.value_or(opts.request_timeout);
    const std::string origin = url->origin();
    // A pooled connection may have been closed by the peer while idle: when the exchange fails
    // before any response byte, retry once on a fresh connection.
    for (int attempt = 0; attempt < 2; ++attempt) {
      auto conn = take_idle(origin);
      bool reused = conn != nullptr;
      if (!conn) {
        conn = std::make_unique<detail::connection>();
        conn->origin = origin;
        auto failed = co_await detail::open(*conn, *url, opts, *tls);
        if (failed.phase != error_phase::none) {
          failed.elapsed = clock::now() - started;
          co_return failed;
        }
        ++opened;
      }
      detail::exchange_result r = co_await detail::exchange(*conn, *url, req, opts, timeout);
      if (r.stale && reused && attempt == 0) continue;
      r.out.reused_connection = reused;
      r.out.elapsed = clock::now() - started;
      if (r.keep_alive) give_back(std::move(conn));
      co_return std::move(r.out);
    }
    out.phase = error_phase::read;
    out.error = "the connection closed before a response, twice";
    out.elapsed = clock::now() - started;
    co_return out;
  }
};

client::client(client_options opts) : impl_(std::make_shared<impl>(std::move(opts))) {}
client::~client() = default;

void client::send_async(client_request req, std::function<void(outcome)> done) {
  // One strand per request: the timers and sockets of one exchange never run concurrently.
  asio::co_spawn(asio::make_strand(impl_->ioc), impl_->run(std::move(req)),
                 [done = std::move(done)](std::exception_ptr e, outcome o) {
                   if (e) {
                     o = outcome{};
                     o.phase = error_phase::protocol;
                     try {
                       std::rethrow_exception(e);
                     } catch (const std::exception& ex) {
                       o.error = std::string("internal: ") + ex.what();
                     } catch (...) {
                       o.error = "internal: unknown exception";
                     }
                   }
                   done(std::move(o));
                 });
}

std::future<outcome> client::send_future(client_request req) {
  auto promise = std::make_shared<std::promise<outcome>>();
  auto future = promise->get_future();
  send_async(std::move(req), [promise](outcome o) { promise->set_value(std::move(o)); });
  return future;
}

outcome client::send(client_request req) {
  return send_future(std::move(req)).get();
}

void client::close_idle() {
  std::lock_guard lock(impl_->pool_mutex);
  impl_->idle.clear();
}

std::uint64_t client::connections_opened() const {
  return impl_->opened.load();
}

}  // namespace cxh::http
