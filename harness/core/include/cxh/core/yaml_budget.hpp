#pragma once
// The guard every YAML input passes (suites, target configs, load profiles) before it is read:
// aliases let a few hundred bytes name billions of nodes ("billion laughs"), so the document is
// walked as its readers will expand it, counting nodes and bytes, and refused past a budget.
// Header-only: its users link yaml-cpp, cxh::core does not.
#include <yaml-cpp/yaml.h>

#include <cstddef>
#include <cxh/core/diagnostic.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace cxh {

struct yaml_budget {
  std::size_t max_nodes = 1'000'000;
  std::size_t max_bytes = 64u << 20;  // scalars, plus the path (JSON pointer) of every node
};

// nullopt, or where the budget ran out (file:line:col of the node reached) and why.
inline std::optional<diagnostic> check_yaml_budget(const YAML::Node& root, const std::string& file,
                                                   yaml_budget budget = {}) {
  std::size_t nodes = 0, bytes = 0;
  std::vector<std::pair<YAML::Node, std::size_t>> todo;  // node, bytes of its path
  todo.emplace_back(root, 0);
  while (!todo.empty()) {
    auto [node, path_bytes] = std::move(todo.back());
    todo.pop_back();
    ++nodes;
    bytes += path_bytes + (node.IsScalar() ? node.Scalar().size() : 0);
    if (nodes > budget.max_nodes || bytes > budget.max_bytes) {
      auto m = node.Mark();
      std::string where = file;
      if (!m.is_null())
        where += ":" + std::to_string(m.line + 1) + ":" + std::to_string(m.column + 1);
      return diagnostic{
          where,
          "the document expands to more than " +
              std::to_string(nodes > budget.max_nodes ? budget.max_nodes : budget.max_bytes) +
              (nodes > budget.max_nodes ? " nodes" : " bytes") +
              " (aliases counted each time they are used)",
          "an alias (*name) repeats its anchor's whole node; refused to bound "
          "memory: use fewer or smaller aliases"};
    }
    if (node.IsSequence()) {
      std::size_t i = 0;
      for (const auto& item : node)
        todo.emplace_back(item, path_bytes + 1 + std::to_string(i++).size());
    } else if (node.IsMap()) {
      for (const auto& kv : node) {
        std::size_t key = kv.first.IsScalar() ? kv.first.Scalar().size() : 0;
        todo.emplace_back(kv.first, path_bytes);
        todo.emplace_back(kv.second, path_bytes + 1 + key);
      }
    }
  }
  return std::nullopt;
}

}  // namespace cxh
