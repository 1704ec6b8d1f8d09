// The V2 compressed encoding: round trips over many layouts, a histogram encoded by
// hdr-histogram-js 3.0.1, and malformed input (every case must give an error, never a crash or an
// unbounded allocation).
#include <gtest/gtest.h>
#include <zlib.h>

#include <cstring>
#include <random>
#include <string>

#include "cxh/histogram/hdr.hpp"

namespace cxh::histogram {
namespace {

hdr random_histogram(std::int64_t lowest, std::int64_t highest, int digits, int samples,
                     std::uint32_t seed) {
  hdr h(lowest, highest, digits);
  std::mt19937_64 rng(seed);
  std::lognormal_distribution<double> latency(10.0, 2.5);
  for (int i = 0; i < samples; ++i) {
    const auto v = static_cast<std::int64_t>(latency(rng));
    h.record(std::min(v, highest), static_cast<std::int64_t>(rng() % 3 + 1));
  }
  return h;
}

void expect_same(const hdr& a, const hdr& b) {
  EXPECT_TRUE(a.same_counts(b));
  EXPECT_EQ(a.total_count(), b.total_count());
  EXPECT_EQ(a.min(), b.min());
  EXPECT_EQ(a.max(), b.max());
  EXPECT_EQ(a.value_at_percentile(99.9), b.value_at_percentile(99.9));
}

TEST(HistogramCodec, RoundTripsAcrossLayouts) {
  struct layout {
    std::int64_t lowest, highest;
    int digits;
  };
  const layout layouts[] = {{1, 3'600'000'000'000, 3}, {1, 2, 0},         {1000, 60'000'000'000, 2},
                            {1, INT64_MAX, 5},         {7, 1'000'000, 1}, {1, 100'000, 4}};
  std::uint32_t seed = 1;
  for (const auto& l : layouts) {
    SCOPED_TRACE(std::to_string(l.lowest) + "/" + std::to_string(l.highest) + "/" +
                 std::to_string(l.digits));
    const hdr h = random_histogram(l.lowest, l.highest, l.digits, 5000, seed++);
    std::string why;
    const auto decoded = decode_compressed(encode_compressed(h), &why);
    ASSERT_TRUE(decoded) << why;
    EXPECT_EQ(decoded->lowest_discernible(), l.lowest);
    EXPECT_EQ(decoded->highest_trackable(), l.highest);
    EXPECT_EQ(decoded->significant_digits(), l.digits);
    expect_same(*decoded, h);
    const auto from_text = from_base64(to_base64(h), &why);
    ASSERT_TRUE(from_text) << why;
    expect_same(*from_text, h);
  }
}

TEST(HistogramCodec, RoundTripsEmptyAndExtremeCounts) {
  hdr empty;
  auto decoded = decode_compressed(encode_compressed(empty));
  ASSERT_TRUE(decoded);
  EXPECT_EQ(decoded->total_count(), 0);
  EXPECT_TRUE(decoded->same_counts(empty));

  // Counts of 2^56 and more need the ninth LEB128 byte, which carries a full 8 bits.
  hdr big;
  big.record(0, std::int64_t{1} << 62);
  big.record(123456, (std::int64_t{1} << 56) + 12345);
  big.record(big.highest_trackable(), 1);
  decoded = decode_compressed(encode_compressed(big));
  ASSERT_TRUE(decoded);
  expect_same(*decoded, big);
  EXPECT_EQ(decoded->count_at(123456), (std::int64_t{1} << 56) + 12345);
}

TEST(HistogramCodec, EncodingStartsWithTheV2CompressedCookie) {
  hdr h;
  h.record(5);
  const std::string bytes = encode_compressed(h);
  ASSERT_GE(bytes.size(), 8u);
  EXPECT_EQ(bytes.substr(0, 4), std::string("\x1c\x84\x93\x14", 4));
  EXPECT_EQ(to_base64(h).substr(0, 8), "HISTFAAA");
}

// Recorded by hdr-histogram-js 3.0.1 (bitBucketSize 64, 1..3.6e9, 3 digits): i*i for i in
// 0..999, 1000000 five times and 3599999999. Its header differs from Java's (normalizing index
// offset 1, the integer 1 as conversion ratio); both fields are ignored.
constexpr const char* kJsEncoded =
    "HISTFAAAAYh4nK2IQStEURiGz3mm6TakSTdJSJKkSZI0SdM0TZo0adIkSZIkSZIkSbKgLCwsZmFhYUFZWPgDfoe1nyLH"
    "4ZzrnHtd5Tw97/u9p++iFQoRvAkhpBAiIz7fxy1eWw/ia0OGgHbyhHTTywBDjFBgnEmKzFCmSo06DZosscIaG2yxwx4H"
    "HHHCGeeSS8mV5FrSktxIbiV3knvJo+RJ8izZY5lVVllnnU022WabXXbZZ59DDjnmmFNKlClToUKVKrPMUqPGHHPUqTPP"
    "PA0aLLBAkyaLLLJEhYJiTDOumdBMaqY0Rc20ZkZTokS/YkBpGFQahpSGYaVhRGkYVRoKjNJFaOnSHdGlJ6JLb0SX/ohf"
    "dETIW+2at9pPp9WunVb7Ca12Da3206UyR45ApdvpaPe2yXij6XY6OrxtMt5ouv2TbCJBzAoS26Rvp9POnzup7ctdfyUX"
    "s3KJbdK302nnhxmN+L782/fzX2R//cl6b/dK179n/Pavvxu3knZ8pm//Fb09u+3+RfIOIMdZEQ==";

TEST(HistogramCodec, DecodesWhatHdrHistogramJsEncodes) {
  hdr expected(1, 3'600'000'000, 3);
  for (std::int64_t i = 0; i < 1000; ++i) expected.record(i * i);
  expected.record(1'000'000, 5);
  expected.record(3'599'999'999);
  std::string why;
  const auto decoded = from_base64(kJsEncoded, &why);
  ASSERT_TRUE(decoded) << why;
  expect_same(*decoded, expected);
  // The figures hdr-histogram-js printed for it.
  EXPECT_EQ(decoded->total_count(), 1006);
  EXPECT_EQ(decoded->value_at_percentile(50), 252031);
  EXPECT_EQ(decoded->value_at_percentile(99), 990207);
}

// --- malformed input -----------------------------------------------------------------------

void put_be(std::string& out, std::uint64_t v, int bytes) {
  for (int i = bytes - 1; i >= 0; --i) out += static_cast<char>((v >> (8 * i)) & 0xff);
}

std::string deflate(const std::string& payload) {
  uLongf size = compressBound(static_cast<uLong>(payload.size()));
  std::string out(size, '\0');
  EXPECT_EQ(compress2(reinterpret_cast<Bytef*>(out.data()), &size,
                      reinterpret_cast<const Bytef*>(payload.data()),
                      static_cast<uLong>(payload.size()), Z_DEFAULT_COMPRESSION),
            Z_OK);
  out.resize(size);
  return out;
}

std::string wrap(const std::string& deflated, std::uint32_t cookie = 0x1c849314) {
  std::string out;
  put_be(out, cookie, 4);
  put_be(out, deflated.size(), 4);
  return out + deflated;
}

// A V2 payload header followed by `counts` (raw LEB128 bytes); payload_length defaults to theirs.
std::string payload(const std::string& counts, std::int64_t lowest = 1,
                    std::int64_t highest = 3'600'000'000, int digits = 3,
                    std::int64_t payload_length = -1, std::uint32_t cookie = 0x1c849313) {
  std::string out;
  put_be(out, cookie, 4);
  put_be(out,
         static_cast<std::uint32_t>(payload_length < 0 ? static_cast<std::int64_t>(counts.size())
                                                       : payload_length),
         4);
  put_be(out, 0, 4);
  put_be(out, static_cast<std::uint32_t>(digits), 4);
  put_be(out, static_cast<std::uint64_t>(lowest), 8);
  put_be(out, static_cast<std::uint64_t>(highest), 8);
  put_be(out, 0x3ff0000000000000ull, 8);
  return out + counts;
}

std::string expect_error(std::string_view bytes) {
  std::string why;
  const auto decoded = decode_compressed(bytes, &why);
  EXPECT_FALSE(decoded) << "decoded " << decoded->total_count() << " samples";
  EXPECT_FALSE(why.empty());
  return why;
}

TEST(HistogramCodec, RejectsBadFraming) {
  EXPECT_NE(expect_error("").find("truncated"), std::string::npos);
  EXPECT_NE(expect_error(std::string("\x1c\x84\x93", 3)).find("truncated"), std::string::npos);
  const std::string good = encode_compressed(hdr());
  std::string wrong = good;
  wrong[0] = 'X';
  EXPECT_NE(expect_error(wrong).find("cookie"), std::string::npos);
  // A V1 compressed cookie is recognised as not V2.
  EXPECT_NE(expect_error(wrap(deflate(payload("\x02")), 0x1c849302)).find("not a V2"),
            std::string::npos);
  // Declared deflated lengths that are negative or longer than the input.
  std::string too_long = good;
  too_long[4] = '\x7f';
  EXPECT_NE(expect_error(too_long).find("compressed length"), std::string::npos);
  std::string negative = good;
  negative[4] = '\xff';
  EXPECT_NE(expect_error(negative).find("compressed length"), std::string::npos);
}

TEST(HistogramCodec, RejectsBadDeflateStreams) {
  std::string garbage = wrap(std::string(64, '\x55'));
  EXPECT_NE(expect_error(garbage).find("zlib"), std::string::npos);
  // The stream cut short, with the length field telling the truth about the cut.
  const std::string deflated = deflate(payload(std::string(200, '\x02')));
  const std::string cut = wrap(deflated.substr(0, deflated.size() / 2));
  std::string why = expect_error(cut);
  EXPECT_TRUE(why.find("ends after") != std::string::npos || why.find("zlib") != std::string::npos)
      << why;
  // More counts than declared, and a damaged checksum: the stream must end where declared.
  why = expect_error(wrap(deflate(payload("\x02\x02\x02", 1, 1000, 3, 2))));
  EXPECT_NE(why.find("more than the declared"), std::string::npos) << why;
  std::string bad_check = wrap(deflate(payload("\x02")));
  bad_check.back() ^= 1;
  why = expect_error(bad_check);
  EXPECT_NE(why.find("incorrect data check"), std::string::npos) << why;
  // Too short to hold the 40-byte payload header.
  EXPECT_NE(expect_error(wrap(deflate("\x1c\x84\x93\x13"))).find("payload header"),
            std::string::npos);
}

TEST(HistogramCodec, RejectsBadPayloadHeaders) {
  EXPECT_NE(expect_error(wrap(deflate(payload("\x02", 1, 1000, 3, -1, 0x12345678))))
                .find("payload byte 0"),
            std::string::npos);
  EXPECT_NE(expect_error(wrap(deflate(payload("\x02", 0)))).find("lowest"), std::string::npos);
  EXPECT_NE(expect_error(wrap(deflate(payload("\x02", 1, 1, 3)))).find("highest"),
            std::string::npos);
  EXPECT_NE(expect_error(wrap(deflate(payload("\x02", 1, 1000, 6)))).find("digits"),
            std::string::npos);
  EXPECT_FALSE(decode_compressed(wrap(deflate(payload("\x02", -5, -1, -1)))));
}

TEST(HistogramCodec, BoundsDeclaredPayloadLengths) {
  // 2 GB declared on a tiny layout: refused before anything is inflated or allocated.
  std::string why = expect_error(wrap(deflate(payload("\x02", 1, 2, 0, 0x7fffffff))));
  EXPECT_NE(why.find("counts length"), std::string::npos) << why;
  why = expect_error(wrap(deflate(payload("\x02", 1, 2, 0, 0x80000000))));
  EXPECT_NE(why.find("counts length"), std::string::npos) << why;
  // Declared longer than what the stream holds.
  why = expect_error(wrap(deflate(payload("\x02\x02", 1, 1000, 3, 50))));
  EXPECT_NE(why.find("counts"), std::string::npos) << why;
}

TEST(HistogramCodec, RejectsBadCounts) {
  // hdr(1, 2, 0): sub-bucket count 2, two buckets -> a counts array of 3.
  EXPECT_NE(expect_error(wrap(deflate(payload("\x02\x02\x02\x02", 1, 2, 0))))
                .find("beyond the counts array"),
            std::string::npos);
  // A zero run of 5 (ZigZag 9) past the end, and the most negative long.
  EXPECT_NE(expect_error(wrap(deflate(payload("\x09", 1, 2, 0)))).find("empty buckets"),
            std::string::npos);
  EXPECT_NE(expect_error(wrap(deflate(payload(std::string(8, '\xff') + "\xff", 1, 2, 0))))
                .find("empty buckets"),
            std::string::npos);
  // A number whose continuation bit promises a byte that is not there.
  EXPECT_NE(expect_error(wrap(deflate(payload("\x02\x80", 1, 2, 0)))).find("inside a number"),
            std::string::npos);
  // Two counts of 2^62 each (ZigZag 2^63: eight empty 7-bit groups, then 0x80 in the ninth
  // byte): the total would overflow.
  const std::string huge = std::string(8, '\x80') + "\x80";
  EXPECT_NE(expect_error(wrap(deflate(payload(huge + huge, 1, 2, 0)))).find("overflow"),
            std::string::npos);
}

TEST(HistogramCodec, RejectsBadBase64) {
  std::string why;
  EXPECT_FALSE(from_base64("HISTFAAA*AAA", &why));
  EXPECT_NE(why.find("character 9"), std::string::npos) << why;
  EXPECT_FALSE(from_base64("HISTF", &why));
  EXPECT_NE(why.find("truncated"), std::string::npos) << why;
  EXPECT_FALSE(from_base64("HISTFA=", &why));
  EXPECT_NE(why.find("padding"), std::string::npos) << why;
  EXPECT_FALSE(from_base64("", &why));
  // Missing padding is accepted, as Java's decoder accepts it.
  hdr h;
  h.record(77);
  std::string text = to_base64(h);
  while (text.back() == '=') text.pop_back();
  const auto decoded = from_base64(text, &why);
  ASSERT_TRUE(decoded) << why;
  EXPECT_TRUE(decoded->same_counts(h));
}

// Random damage to valid encodings: every outcome is a histogram or an error, under ASan too.
TEST(HistogramCodec, SurvivesRandomDamage) {
  std::mt19937 rng(20261123);
  const std::string originals[] = {
      encode_compressed(random_histogram(1, 3'600'000'000'000, 3, 300, 7)),
      encode_compressed(random_histogram(1, 1'000'000, 1, 50, 8)), encode_compressed(hdr())};
  int errors = 0, decoded = 0;
  for (int round = 0; round < 3000; ++round) {
    std::string bytes = originals[round % 3];
    switch (rng() % 4) {
      case 0:  // flip a few bits
        for (int i = 0; i < 1 + static_cast<int>(rng() % 4); ++i) {
          bytes[rng() % bytes.size()] ^= static_cast<char>(1 << (rng() % 8));
        }
        break;
      case 1:  // truncate
        bytes.resize(rng() % bytes.size());
        break;
      case 2:  // overwrite a byte with garbage
        bytes[rng() % bytes.size()] = static_cast<char>(rng());
        break;
      default:  // append garbage
        bytes += std::string(1 + rng() % 16, static_cast<char>(rng()));
        break;
    }
    std::string why;
    const auto result = decode_compressed(bytes, &why);
    if (result) {
      ++decoded;
      EXPECT_GE(result->total_count(), 0);
    } else {
      ++errors;
      EXPECT_FALSE(why.empty());
    }
  }
  EXPECT_GT(errors, 1000);
  EXPECT_EQ(errors + decoded, 3000);
}

}  // namespace
}  // namespace cxh::histogram
