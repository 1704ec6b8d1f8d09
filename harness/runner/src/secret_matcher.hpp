#pragma once
// Finds known secrets in text in one pass (Aho-Corasick over the first bytes of each secret,
// then extending each hit as far as the text goes on matching that secret): linear in the text
// for any set of secrets, and a cut copy of a long secret (a prefix of it) is found too.
#include <cstddef>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cxh::runner::detail {

class secret_matcher {
 public:
  static constexpr std::size_t prefix_bytes = 128;  // longer secrets are matched by this prefix

  explicit secret_matcher(const std::vector<std::string_view>& secrets);
  // The byte ranges [begin, end) of `text` to hide, sorted, not overlapping.
  std::vector<std::pair<std::size_t, std::size_t>> find(std::string_view text) const;
  std::size_t states() const { return nodes_.size(); }

 private:
  struct node {
    int fail = 0;
    int first_child = -1;
    int next_sibling = -1;
    int group = -1;   // a secret prefix ends here: index into groups_
    int output = -1;  // the node of the longest prefix ending here (this or a fail ancestor)
    unsigned char ch = 0;
  };
  struct group {
    std::size_t length;             // of the prefix
    std::vector<std::string> full;  // the secrets that start with it
  };
  int child(int n, unsigned char c) const;
  void insert(std::string_view secret);
  void link();
  std::vector<node> nodes_;
  std::vector<group> groups_;
};

}  // namespace cxh::runner::detail
