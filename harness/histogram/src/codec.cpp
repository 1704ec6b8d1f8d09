// HdrHistogram's V2 encoding: a 40-byte big-endian header, then the counts array up to the last
// non-zero bucket as ZigZag LEB128 longs where a negative value -n stands for n empty buckets;
// the compressed form wraps that payload in zlib after an 8-byte cookie + length header.
#include <zlib.h>

#include <cstring>
#include <stdexcept>

#include "cxh/histogram/hdr.hpp"
#include "text.hpp"

namespace cxh::histogram {
namespace {

constexpr std::uint32_t kV2Cookie = 0x1c849303;
constexpr std::uint32_t kV2CompressedCookie = 0x1c849304;
// The 0x10 bit of the cookie's word-size nibble marks the ZigZag LEB128 (9-byte word) counts.
constexpr std::uint32_t kWordSizeBits = 0x10;
constexpr std::size_t kHeaderSize = 40;
constexpr std::size_t kMaxLeb128Bytes = 9;

void put_be(std::string& out, std::uint64_t v, int bytes) {
  for (int i = bytes - 1; i >= 0; --i) out += static_cast<char>((v >> (8 * i)) & 0xff);
}

std::uint64_t get_be(std::string_view in, std::size_t at, int bytes) {
  std::uint64_t v = 0;
  for (int i = 0; i < bytes; ++i) v = v << 8 | static_cast<unsigned char>(in[at + i]);
  return v;
}

void put_zigzag(std::string& out, std::int64_t value) {
  auto v = (static_cast<std::uint64_t>(value) << 1) ^ static_cast<std::uint64_t>(value >> 63);
  for (int i = 0; i < 8; ++i) {
    if ((v >> 7) == 0) {
      out += static_cast<char>(v);
      return;
    }
    out += static_cast<char>((v & 0x7f) | 0x80);
    v >>= 7;
  }
  out += static_cast<char>(v & 0xff);  // the ninth byte carries a full 8 bits
}

// Reads one ZigZag LEB128 long at `pos`; false when the payload ends inside it.
bool get_zigzag(std::string_view in, std::size_t& pos, std::int64_t& value) {
  std::uint64_t v = 0;
  for (std::size_t i = 0; i < kMaxLeb128Bytes; ++i) {
    if (pos >= in.size()) return false;
    const auto b = static_cast<unsigned char>(in[pos++]);
    if (i == 8) {
      v |= static_cast<std::uint64_t>(b) << 56;
      break;
    }
    v |= static_cast<std::uint64_t>(b & 0x7f) << (7 * i);
    if ((b & 0x80) == 0) break;
  }
  value = static_cast<std::int64_t>(v >> 1) ^ -static_cast<std::int64_t>(v & 1);
  return true;
}

std::string hex32(std::uint32_t v) {
  char text[16];
  std::snprintf(text, sizeof text, "0x%08x", v);
  return text;
}

std::string encode_payload(const hdr& h) {
  std::string out;
  put_be(out, kV2Cookie | kWordSizeBits, 4);
  put_be(out, 0, 4);  // payload length, patched below
  put_be(out, 0, 4);  // normalizing index offset: this histogram never shifts
  put_be(out, static_cast<std::uint32_t>(h.significant_digits()), 4);
  put_be(out, static_cast<std::uint64_t>(h.lowest_discernible()), 8);
  put_be(out, static_cast<std::uint64_t>(h.highest_trackable()), 8);
  double ratio = 1.0;  // integer-to-double conversion ratio: 1 for integer histograms
  std::uint64_t ratio_bits = 0;
  std::memcpy(&ratio_bits, &ratio, sizeof ratio);
  put_be(out, ratio_bits, 8);

  int limit = h.counts_length();
  while (limit > 1 && h.count_at_index(limit - 1) == 0) --limit;
  for (int i = 0; i < limit;) {
    const std::int64_t count = h.count_at_index(i++);
    if (count != 0) {
      put_zigzag(out, count);
      continue;
    }
    std::int64_t zeros = 1;
    while (i < limit && h.count_at_index(i) == 0) {
      ++zeros;
      ++i;
    }
    put_zigzag(out, zeros > 1 ? -zeros : 0);
  }
  const auto length = static_cast<std::uint32_t>(out.size() - kHeaderSize);
  for (int b = 0; b < 4; ++b) out[4 + b] = static_cast<char>((length >> (8 * (3 - b))) & 0xff);
  return out;
}

// Incremental inflation so that only as many bytes as the headers justify are ever produced.
class inflater {
 public:
  explicit inflater(std::string_view in) {
    stream_.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
    stream_.avail_in = static_cast<uInt>(in.size());
    ok_ = inflateInit(&stream_) == Z_OK;
  }
  ~inflater() {
    if (ok_) inflateEnd(&stream_);
  }
  inflater(const inflater&) = delete;
  inflater& operator=(const inflater&) = delete;

  // Fills `out` with exactly `size` inflated bytes; otherwise says why.
  bool read(std::string& out, std::size_t size, std::string& why) {
    out.assign(size, '\0');
    if (!ok_) {
      why = "zlib could not be initialised";
      return false;
    }
    stream_.next_out = reinterpret_cast<Bytef*>(out.data());
    stream_.avail_out = static_cast<uInt>(size);
    while (stream_.avail_out > 0) {
      const int rc = inflate(&stream_, Z_NO_FLUSH);
      if (rc == Z_STREAM_END || rc == Z_BUF_ERROR) {
        if (stream_.avail_out == 0) break;
        why = "the deflated data ends after " + std::to_string(size - stream_.avail_out) + " of " +
              std::to_string(size) + " bytes";
        return false;
      }
      if (rc != Z_OK) {
        why = std::string("zlib: ") + (stream_.msg ? stream_.msg : "error " + std::to_string(rc));
        return false;
      }
    }
    return true;
  }

  // After the declared bytes the stream must end, so that its checksum is verified and a
  // payload longer than its declared length is noticed.
  bool finish(std::string& why) {
    char scratch[16];
    stream_.next_out = reinterpret_cast<Bytef*>(scratch);
    stream_.avail_out = sizeof scratch;
    const int rc = inflate(&stream_, Z_FINISH);
    if (stream_.avail_out != sizeof scratch) {
      why = "the deflated data holds more than the declared counts length";
      return false;
    }
    if (rc == Z_STREAM_END) return true;
    if (rc == Z_BUF_ERROR) {
      why = "the deflated data is truncated (no end of stream)";
    } else {
      why = std::string("zlib: ") + (stream_.msg ? stream_.msg : "error " + std::to_string(rc));
    }
    return false;
  }

 private:
  z_stream stream_{};
  bool ok_ = false;
};

}  // namespace

std::string encode_compressed(const hdr& h) {
  const std::string payload = encode_payload(h);
  uLongf size = compressBound(static_cast<uLong>(payload.size()));
  std::string deflated(size, '\0');
  if (compress2(reinterpret_cast<Bytef*>(deflated.data()), &size,
                reinterpret_cast<const Bytef*>(payload.data()), static_cast<uLong>(payload.size()),
                Z_DEFAULT_COMPRESSION) != Z_OK) {
    throw std::runtime_error("histogram: zlib compression failed");
  }
  deflated.resize(size);
  std::string out;
  out.reserve(8 + deflated.size());
  put_be(out, kV2CompressedCookie | kWordSizeBits, 4);
  put_be(out, deflated.size(), 4);
  return out + deflated;
}

std::optional<hdr> decode_compressed(std::string_view bytes, std::string* why) {
  auto fail = [&](const std::string& what) -> std::optional<hdr> {
    if (why) *why = "compressed histogram: " + what;
    return std::nullopt;
  };
  if (bytes.size() < 8) {
    return fail("truncated: " + std::to_string(bytes.size()) + " bytes, the header needs 8");
  }
  const auto cookie = static_cast<std::uint32_t>(get_be(bytes, 0, 4));
  if ((cookie & ~0xf0u) != kV2CompressedCookie) {
    return fail("byte 0: cookie " + hex32(cookie) + " is not a V2 compressed histogram (expected " +
                hex32(kV2CompressedCookie | kWordSizeBits) + ")");
  }
  const auto deflated_length = static_cast<std::int32_t>(get_be(bytes, 4, 4));
  if (deflated_length <= 0 || static_cast<std::size_t>(deflated_length) > bytes.size() - 8) {
    return fail("byte 4: compressed length " + std::to_string(deflated_length) +
                " does not fit the " + std::to_string(bytes.size() - 8) + " bytes that follow");
  }
  inflater source(bytes.substr(8, static_cast<std::size_t>(deflated_length)));
  std::string header;
  std::string reason;
  if (!source.read(header, kHeaderSize, reason)) return fail("payload header: " + reason);
  const auto inner_cookie = static_cast<std::uint32_t>(get_be(header, 0, 4));
  if ((inner_cookie & ~0xf0u) != kV2Cookie) {
    return fail("payload byte 0: cookie " + hex32(inner_cookie) +
                " is not a V2 histogram payload (expected " + hex32(kV2Cookie | kWordSizeBits) +
                ")");
  }
  const auto payload_length = static_cast<std::int32_t>(get_be(header, 4, 4));
  // The normalizing index offset (bytes 8..11) and the conversion ratio (32..39) are not used:
  // hdr-histogram-js writes 1 and the integer 1 there, Java 0 and 1.0.
  const auto digits = static_cast<std::int32_t>(get_be(header, 12, 4));
  const auto lowest = static_cast<std::int64_t>(get_be(header, 16, 8));
  const auto highest = static_cast<std::int64_t>(get_be(header, 24, 8));
  std::optional<hdr> h;
  try {
    h.emplace(lowest, highest, digits);
  } catch (const std::invalid_argument& e) {
    return fail(std::string("payload header: ") + e.what());
  }
  const auto max_payload = static_cast<std::int64_t>(h->counts_length() * kMaxLeb128Bytes);
  if (payload_length < 0 || payload_length > max_payload) {
    return fail("payload byte 4: counts length " + std::to_string(payload_length) +
                " is outside 0.." + std::to_string(max_payload) + " for this layout");
  }
  std::string counts;
  if (!source.read(counts, static_cast<std::size_t>(payload_length), reason)) {
    return fail("counts: " + reason);
  }
  if (!source.finish(reason)) return fail("counts: " + reason);
  std::size_t pos = 0;
  std::int64_t index = 0;
  const std::int64_t length = h->counts_length();
  while (pos < counts.size()) {
    const std::size_t at = kHeaderSize + pos;
    std::int64_t value = 0;
    if (!get_zigzag(counts, pos, value)) {
      return fail("payload byte " + std::to_string(at) + ": the counts end inside a number");
    }
    if (value < 0) {
      const std::int64_t run = value == INT64_MIN ? INT64_MAX : -value;
      if (run > length - index) {
        return fail("payload byte " + std::to_string(at) + ": a run of " + std::to_string(run) +
                    " empty buckets from index " + std::to_string(index) +
                    " passes the counts array (length " + std::to_string(length) + ")");
      }
      index += run;
      continue;
    }
    if (index >= length) {
      return fail("payload byte " + std::to_string(at) + ": a count for index " +
                  std::to_string(index) + " beyond the counts array (length " +
                  std::to_string(length) + ")");
    }
    if (value > INT64_MAX - h->total_count()) {
      return fail("payload byte " + std::to_string(at) + ": the total count overflows 64 bits");
    }
    h->set_count_at_index(static_cast<int>(index++), value);
  }
  return h;
}

std::string to_base64(const hdr& h) {
  return detail::base64_encode(encode_compressed(h));
}

std::optional<hdr> from_base64(std::string_view b64, std::string* why) {
  const auto bytes = detail::base64_decode(b64, why);
  if (!bytes) return std::nullopt;
  return decode_compressed(*bytes, why);
}

}  // namespace cxh::histogram
