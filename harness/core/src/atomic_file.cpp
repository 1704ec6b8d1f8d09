#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <cxh/core/atomic_file.hpp>
#include <filesystem>
#include <vector>

namespace cxh {

namespace {

std::string errno_text(const char* what) {
  return std::string(what) + ": " + std::strerror(errno);
}

bool write_all(int fd, std::string_view content) {
  while (!content.empty()) {
    auto n = ::write(fd, content.data(), content.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    content.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

// The permissions a new file would get (0666 less the umask): mkstemp creates 0600.
mode_t new_file_mode() {
  mode_t mask = ::umask(0);
  ::umask(mask);
  return 0666 & ~mask;
}

}  // namespace

std::string write_file_atomically(const std::string& path, std::string_view content) {
  namespace fs = std::filesystem;
  fs::path target(path);
  if (target.filename().empty()) return "not a file name";
  std::error_code ec;
  if (fs::is_directory(fs::symlink_status(target, ec))) return "is a directory";
  fs::path dir = target.parent_path();
  std::string pattern =
      ((dir.empty() ? fs::path(".") : dir) / ("." + target.filename().string() + ".tmp-XXXXXX"))
          .string();
  std::vector<char> name(pattern.begin(), pattern.end());
  name.push_back('\0');
  int fd = ::mkstemp(name.data());
  if (fd < 0) return errno_text("cannot create a temporary file next to it");
  std::string error;
  if (!write_all(fd, content)) error = errno_text("write");
  if (error.empty() && ::fchmod(fd, new_file_mode()) != 0) error = errno_text("chmod");
  if (error.empty() && ::fsync(fd) != 0) error = errno_text("fsync");
  if (::close(fd) != 0 && error.empty()) error = errno_text("close");
  if (error.empty() && ::rename(name.data(), path.c_str()) != 0) error = errno_text("rename");
  if (!error.empty()) ::unlink(name.data());
  return error;
}

}  // namespace cxh
