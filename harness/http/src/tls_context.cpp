#include "tls_context.hpp"

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <memory>

namespace cxh::http::detail {

namespace {

template <class T, void (*F)(T*)>
struct deleter {
  void operator()(T* p) const { F(p); }
};
using pkey_ptr = std::unique_ptr<EVP_PKEY, deleter<EVP_PKEY, EVP_PKEY_free>>;
using x509_ptr = std::unique_ptr<X509, deleter<X509, X509_free>>;

std::string hex(const unsigned char* p, unsigned n) {
  static const char* d = "0123456789abcdef";
  std::string out;
  for (unsigned i = 0; i < n; ++i) {
    if (i) out += ':';
    out += d[p[i] >> 4];
    out += d[p[i] & 15];
  }
  return out;
}

std::string fingerprint_of(X509* cert) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned n = 0;
  if (!X509_digest(cert, EVP_sha256(), md, &n)) return "";
  return hex(md, n);
}

bool add_extension(X509* cert, int nid, const char* value) {
  X509V3_CTX v3;
  X509V3_set_ctx_nodb(&v3);
  X509V3_set_ctx(&v3, cert, cert, nullptr, nullptr, 0);
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &v3, nid, value);
  if (!ext) return false;
  bool ok = X509_add_ext(cert, ext, -1) == 1;
  X509_EXTENSION_free(ext);
  return ok;
}

}  // namespace

std::string make_server_context(const tls_options& opts, boost::asio::ssl::context& ctx,
                                std::string& fingerprint) {
  ctx.set_options(boost::asio::ssl::context::default_workarounds |
                  boost::asio::ssl::context::no_sslv2 | boost::asio::ssl::context::no_sslv3 |
                  boost::asio::ssl::context::no_tlsv1 | boost::asio::ssl::context::no_tlsv1_1);
  SSL_CTX* native = ctx.native_handle();
  if (!opts.self_signed) {
    if (SSL_CTX_use_certificate_chain_file(native, opts.cert_file.c_str()) != 1)
      return "cannot load the certificate chain " + opts.cert_file;
    if (SSL_CTX_use_PrivateKey_file(native, opts.key_file.c_str(), SSL_FILETYPE_PEM) != 1)
      return "cannot load the private key " + opts.key_file;
    if (SSL_CTX_check_private_key(native) != 1)
      return "the private key does not match the certificate";
    if (X509* cert = SSL_CTX_get0_certificate(native)) fingerprint = fingerprint_of(cert);
    return "";
  }
  pkey_ptr key(EVP_EC_gen("P-256"));
  x509_ptr cert(X509_new());
  if (!key || !cert) return "cannot generate a key";
  X509_set_version(cert.get(), 2);
  ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), 1);
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), -60);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), 24 * 3600);
  X509_set_pubkey(cert.get(), key.get());
  X509_NAME* name = X509_get_subject_name(cert.get());
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>("localhost"), -1, -1, 0);
  X509_set_issuer_name(cert.get(), name);
  if (!add_extension(cert.get(), NID_subject_alt_name, "DNS:localhost,IP:127.0.0.1,IP:::1") ||
      !add_extension(cert.get(), NID_basic_constraints, "critical,CA:FALSE"))
    return "cannot build the certificate";
  if (!X509_sign(cert.get(), key.get(), EVP_sha256())) return "cannot sign the certificate";
  if (SSL_CTX_use_certificate(native, cert.get()) != 1 ||
      SSL_CTX_use_PrivateKey(native, key.get()) != 1)
    return "cannot install the self-signed certificate";
  fingerprint = fingerprint_of(cert.get());
  return "";
}

}  // namespace cxh::http::detail
