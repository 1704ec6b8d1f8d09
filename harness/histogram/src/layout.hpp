#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace cxh::histogram::detail {

// The bucket layout HdrHistogram derives from (lowest discernible, highest trackable, digits).
// Computed without allocating, so the decoder can check a declared layout's size first.
struct layout {
  int unit_magnitude = 0;                   // floor(log2(lowest discernible))
  int sub_bucket_half_count_magnitude = 0;  // log2(sub buckets) - 1
  int sub_bucket_count = 0;                 // power of two >= 2 * 10^digits
  std::int64_t sub_bucket_mask = 0;         // (sub_bucket_count - 1) << unit_magnitude
  int leading_zero_count_base = 0;          // turns a leading-zero count into a bucket index
  int bucket_count = 0;
  std::int64_t counts_length = 0;  // (bucket_count + 1) * sub_bucket_count / 2
};

// nullopt (and the reason in *why) when the parameters are outside HdrHistogram's domain.
std::optional<layout> make_layout(std::int64_t lowest, std::int64_t highest, int digits,
                                  std::string* why);

}  // namespace cxh::histogram::detail
