#pragma once

#include <cxh/core/diagnostic.hpp>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace cxh::schema {

namespace detail {
struct engine;
struct node;
}  // namespace detail

enum class dialect { draft2020_12, draft7 };

// One output unit of the 2020-12 "basic" output format.
struct error {
  std::string instance_location;          // JSON pointer into the instance
  std::string keyword_location;           // path of keywords taken, through $ref
  std::string absolute_keyword_location;  // absolute URI of the keyword that failed
  std::string message;                    // what is wrong, in words
};

// Fetches a document that a $ref names by absolute URI (no fragment). Returns its JSON text, or
// nullopt when it does not know the URI. The embedded meta-schemas are resolved before asking it.
using loader = std::function<std::optional<std::string>(const std::string& uri)>;

struct options {
  dialect default_dialect = dialect::draft2020_12;  // when a schema has no $schema
  bool assert_formats = false;           // format-assertion (off: format is an annotation)
  bool check_against_metaschema = true;  // reject schemas that their meta-schema rejects
  loader load;                           // remote $refs; empty: only embedded documents
  std::size_t max_depth = 1000;          // nested evaluations before "too deep" (hostile input)
};

// A compiled schema: immutable, cheap to copy, safe to use from many threads at once.
class schema {
 public:
  // The fast path: stops at the first error.
  bool is_valid(const nlohmann::json& instance) const;
  // Every error, as the "basic" output format lists them. Empty when valid.
  std::vector<error> validate(const nlohmann::json& instance) const;

 private:
  friend class compiler;
  schema(std::shared_ptr<const detail::engine> e, const detail::node* root)
      : engine_(std::move(e)), root_(root) {}
  std::shared_ptr<const detail::engine> engine_;
  const detail::node* root_;
};

// Holds a set of documents that may $ref each other; compiles schemas out of them. Compiled
// schemas share the compiler's nodes and stay valid after the compiler is gone.
class compiler {
 public:
  explicit compiler(options opts = {});
  ~compiler();
  compiler(compiler&&) noexcept;
  compiler& operator=(compiler&&) noexcept;

  // Registers a document under its retrieval URI; its $id and embedded $ids add more URIs.
  // Problems: an invalid schema (when checked against its meta-schema), a clash of URIs.
  // Documents nested deeper than 512 levels are refused before they are copied (nlohmann copies
  // recursively, so a hostile document could exhaust the stack).
  cxh::diagnostics add_document(const std::string& uri, const nlohmann::json& document);
  cxh::diagnostics add_document(const std::string& uri, nlohmann::json&& document);

  // Compiles the schema that uri (absolute, with an optional fragment) names.
  std::variant<schema, cxh::diagnostics> compile(const std::string& uri);

 private:
  std::shared_ptr<detail::engine> engine_;
};

inline const std::string default_base_uri = "urn:cxharness:schema";

// One-shot: compile a single document (retrieval URI base_uri) and its remote references.
std::variant<schema, cxh::diagnostics> compile(const nlohmann::json& document,
                                               const options& opts = {},
                                               const std::string& base_uri = default_base_uri);

// Nesting depth of a JSON value, computed without recursion.
std::size_t json_depth(const nlohmann::json& value);

// The 2020-12 "basic" output format: {"valid": bool, "errors": [ ... ]}.
nlohmann::json to_basic_output(const std::vector<error>& errors);

// Human-readable, one error a line: "<instance pointer>: <message> [at <keyword location>]".
std::string to_text(const std::vector<error>& errors);

}  // namespace cxh::schema
