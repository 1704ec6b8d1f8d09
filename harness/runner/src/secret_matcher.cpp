#include "secret_matcher.hpp"

#include <algorithm>
#include <deque>

namespace cxh::runner::detail {

secret_matcher::secret_matcher(const std::vector<std::string_view>& secrets) {
  nodes_.emplace_back();
  for (auto s : secrets) {
    if (!s.empty()) insert(s);
  }
  link();
}

int secret_matcher::child(int n, unsigned char c) const {
  for (int k = nodes_[n].first_child; k != -1; k = nodes_[k].next_sibling) {
    if (nodes_[k].ch == c) return k;
  }
  return -1;
}

void secret_matcher::insert(std::string_view secret) {
  std::string_view prefix = secret.substr(0, prefix_bytes);
  int at = 0;
  for (unsigned char c : prefix) {
    int next = child(at, c);
    if (next == -1) {
      next = static_cast<int>(nodes_.size());
      node n;
      n.ch = c;
      n.next_sibling = nodes_[at].first_child;
      nodes_.push_back(n);
      nodes_[at].first_child = next;
    }
    at = next;
  }
  if (nodes_[at].group == -1) {
    nodes_[at].group = static_cast<int>(groups_.size());
    groups_.push_back({prefix.size(), {}});
  }
  groups_[nodes_[at].group].full.emplace_back(secret);
}

// Failure links breadth first (a node's fail is shallower, so it is done before the node).
void secret_matcher::link() {
  std::deque<int> todo;
  for (int k = nodes_[0].first_child; k != -1; k = nodes_[k].next_sibling) {
    nodes_[k].fail = 0;
    nodes_[k].output = nodes_[k].group != -1 ? k : -1;
    todo.push_back(k);
  }
  while (!todo.empty()) {
    int u = todo.front();
    todo.pop_front();
    for (int v = nodes_[u].first_child; v != -1; v = nodes_[v].next_sibling) {
      int f = nodes_[u].fail;
      while (f != 0 && child(f, nodes_[v].ch) == -1) f = nodes_[f].fail;
      int g = child(f, nodes_[v].ch);
      nodes_[v].fail = g != -1 && g != v ? g : 0;
      nodes_[v].output = nodes_[v].group != -1 ? v : nodes_[nodes_[v].fail].output;
      todo.push_back(v);
    }
  }
}

std::vector<std::pair<std::size_t, std::size_t>> secret_matcher::find(std::string_view text) const {
  std::vector<std::pair<std::size_t, std::size_t>> hidden;
  std::size_t covered = 0;  // end of the furthest range so far
  int state = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    auto c = static_cast<unsigned char>(text[i]);
    while (state != 0 && child(state, c) == -1) state = nodes_[state].fail;
    int next = child(state, c);
    state = next == -1 ? 0 : next;
    int out = nodes_[state].output;
    if (out == -1) continue;
    const auto& g = groups_[nodes_[out].group];
    std::size_t begin = i + 1 - g.length, end = i + 1;
    // Extend over the rest of each secret with this prefix, as far as the text agrees; bytes
    // already hidden are not compared again (linear overall; at worst it hides a little more).
    for (const auto& full : g.full) {
      std::size_t j = std::max(end, covered);
      while (j < text.size() && j - begin < full.size() && text[j] == full[j - begin]) ++j;
      end = std::max(end, j);
    }
    while (!hidden.empty() && begin <= hidden.back().second) {
      begin = std::min(begin, hidden.back().first);
      end = std::max(end, hidden.back().second);
      hidden.pop_back();
    }
    hidden.emplace_back(begin, end);
    covered = std::max(covered, end);
  }
  return hidden;
}

}  // namespace cxh::runner::detail
