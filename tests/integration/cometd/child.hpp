#pragma once

// A child process with its stdin and stdout on pipes: line-oriented, with read deadlines. The
// destructor closes stdin, then ends the child (by its pid) if it has not exited.

#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace cometd_test {

class child {
 public:
  explicit child(const std::vector<std::string>& argv) {
    int in[2], out[2];
    if (::pipe(in) != 0 || ::pipe(out) != 0) return;
    pid_ = ::fork();
    if (pid_ == 0) {
      ::dup2(in[0], 0);
      ::dup2(out[1], 1);
      ::close(in[1]);
      ::close(out[0]);
      std::vector<char*> args;
      for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
      args.push_back(nullptr);
      ::execvp(args[0], args.data());
      ::_exit(127);
    }
    ::close(in[0]);
    ::close(out[1]);
    to_ = in[1];
    from_ = out[0];
  }
  ~child() {
    if (to_ >= 0) ::close(to_);
    if (pid_ > 0) {
      auto end = std::chrono::steady_clock::now() + std::chrono::seconds(5);
      int st = 0;
      while (::waitpid(pid_, &st, WNOHANG) == 0) {
        if (std::chrono::steady_clock::now() > end) {
          ::kill(pid_, SIGKILL);
          ::waitpid(pid_, &st, 0);
          break;
        }
        ::usleep(10000);
      }
    }
    if (from_ >= 0) ::close(from_);
  }
  bool started() const { return pid_ > 0; }
  void write_line(const std::string& line) {
    std::string l = line + "\n";
    (void)!::write(to_, l.data(), l.size());
  }
  // The next line, or nullopt at end of output or after `within`.
  std::optional<std::string> read_line(std::chrono::milliseconds within) {
    auto end = std::chrono::steady_clock::now() + within;
    for (;;) {
      auto nl = buf_.find('\n');
      if (nl != std::string::npos) {
        std::string line = buf_.substr(0, nl);
        buf_.erase(0, nl + 1);
        return line;
      }
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          end - std::chrono::steady_clock::now());
      if (left.count() <= 0) return std::nullopt;
      pollfd p{from_, POLLIN, 0};
      if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) continue;
      char b[4096];
      auto n = ::read(from_, b, sizeof b);
      if (n <= 0) return std::nullopt;
      buf_.append(b, static_cast<std::size_t>(n));
    }
  }

 private:
  pid_t pid_ = -1;
  int to_ = -1, from_ = -1;
  std::string buf_;
};

}  // namespace cometd_test
