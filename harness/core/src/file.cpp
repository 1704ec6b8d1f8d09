#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <cxh/core/file.hpp>
#include <fstream>

namespace cxh {

std::variant<std::string, diagnostic> read_file(const std::string& path, std::size_t max_bytes) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    return diagnostic{path, std::string("cannot read file: ") + std::strerror(errno), ""};
  }
  if (S_ISDIR(st.st_mode)) return diagnostic{path, "is a directory, expected a file", ""};
  std::ifstream in(path, std::ios::binary);
  if (!in) return diagnostic{path, std::string("cannot open file: ") + std::strerror(errno), ""};
  std::string out;
  char buf[1 << 16];
  while (in.read(buf, sizeof buf) || in.gcount() > 0) {
    out.append(buf, static_cast<std::size_t>(in.gcount()));
    if (out.size() > max_bytes) {
      return diagnostic{path, "file is larger than " + std::to_string(max_bytes) + " bytes",
                        "is this the right file?"};
    }
  }
  return out;
}

}  // namespace cxh
