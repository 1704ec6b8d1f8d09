#pragma once
#include <string>
#include <string_view>

namespace cxh {

// Writes `content` to `path` through a temporary file in the same directory, then renames it
// over `path`: a symlink at `path` is replaced, not followed, and a crash mid-write leaves the
// previous file whole. Returns "" or what went wrong (the temporary file is removed then).
std::string write_file_atomically(const std::string& path, std::string_view content);

}  // namespace cxh
