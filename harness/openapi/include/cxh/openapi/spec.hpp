#pragma once

#include <cxh/core/diagnostic.hpp>
#include <cxh/schema/validator.hpp>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace cxh::openapi {

// One OpenAPI document, or a JSON Schema document that they reference (common/, events/).
struct document_source {
  std::string uri;      // absolute; $refs resolve against it
  std::string display;  // how diagnostics name it ("schemas/auth.json")
  std::string text;     // JSON
};

// A body schema for one media type ("application/json", "multipart/form-data", "*/*").
struct media {
  std::string content_type;
  std::optional<schema::schema> body;    // absent when the document gives no schema
  std::string pointer;                   // where the schema is defined (document URI#pointer)
  std::vector<nlohmann::json> examples;  // the documented examples, in document order
  const nlohmann::json* schema_json = nullptr;  // the raw schema, owned by the spec_set
  std::string base_uri;                         // its document's URI, for resolve()
};

struct response {
  std::string status;  // "200", "4XX", "default"
  std::string description;
  std::vector<media> content;
  std::vector<std::string> required_headers;
  // The media whose type fits content_type (parameters ignored; exact, then type/*, then */*).
  const media* find_media(std::string_view content_type) const;
};

struct operation {
  std::string document;       // display name of the defining document
  std::string document_uri;   // its URI, for spec_set::resolve of the $refs inside definition
  std::string pointer;        // JSON pointer of the operation (or of its x-operations entry)
  std::string method;         // upper case
  std::string server;         // "/nexus/v3"
  std::string path_template;  // "/openmedia/{openMediaService}/interactions"
  std::string operation_id;
  std::string operation_name;  // Web Services v2 body operationName; empty for resources
  std::string summary;
  bool deprecated = false;
  bool webhook = false;  // outbound: Genesys calls the third party
  std::vector<std::string> catalog_ids;
  std::vector<std::string> path_aliases;
  std::vector<media> request;
  std::vector<response> responses;
  const nlohmann::json* definition = nullptr;  // the raw object, owned by the spec_set
  const nlohmann::json* x_async = nullptr;
  // Security requirements (the operation's, else the document's): alternatives of schemes.
  const nlohmann::json* security = nullptr;
  const nlohmann::json* security_schemes = nullptr;  // the document's components.securitySchemes

  // The documented response for an HTTP status: exact, then NXX, then default; null if none.
  const response* response_for(int status) const;
  std::string full_path() const { return server + path_template; }
};

enum class match_kind {
  found,
  ambiguous,
  unknown_path,
  method_not_allowed,
  unknown_operation_name
};

struct match {
  match_kind kind = match_kind::unknown_path;
  // found: one; ambiguous: every candidate; unknown_operation_name: those the path has
  std::vector<const operation*> operations;
  std::map<std::string, std::string> path_params;
  std::string detail;  // for the not-found kinds: what did not match
};

std::string to_string(match_kind k);

class spec_set {
 public:
  // Loads and compiles a set of documents. A $ref to a document outside the set goes to `load`.
  static std::variant<spec_set, cxh::diagnostics> load(const std::vector<document_source>& docs,
                                                       schema::loader load = {});
  // The product's own documents (schemas/), compiled into the binary.
  static std::vector<document_source> embedded_documents();

  // Which operation a request is: method, concrete path (query ignored) and, for
  // operationName dispatch, the JSON body.
  match find(std::string_view method, std::string_view path,
             const nlohmann::json* body = nullptr) const;
  const std::vector<operation>& operations() const;
  const operation* by_operation_id(std::string_view id) const;
  // Follows a $ref found in the document at base_uri: the target and its document's URI
  // (null when it does not resolve). For tools that read schemas rather than validate with them.
  std::pair<const nlohmann::json*, std::string> resolve(const std::string& base_uri,
                                                        const std::string& ref) const;

 private:
  struct data;
  std::shared_ptr<const data> data_;
};

}  // namespace cxh::openapi
