#include "layout.hpp"

#include <bit>
#include <limits>

namespace cxh::histogram::detail {

std::optional<layout> make_layout(std::int64_t lowest, std::int64_t highest, int digits,
                                  std::string* why) {
  auto fail = [&](std::string what) -> std::optional<layout> {
    if (why) *why = std::move(what);
    return std::nullopt;
  };
  if (lowest < 1)
    return fail("lowest discernible value must be >= 1, got " + std::to_string(lowest));
  if (highest / 2 < lowest) {
    return fail("highest trackable value (" + std::to_string(highest) +
                ") must be >= 2 * lowest discernible value (" + std::to_string(lowest) + ")");
  }
  if (digits < 0 || digits > 5) {
    return fail("significant digits must be 0..5, got " + std::to_string(digits));
  }
  layout l;
  std::int64_t single_unit_top = 2;  // 2 * 10^digits: values below it keep unit resolution
  for (int i = 0; i < digits; ++i) single_unit_top *= 10;
  const int count_magnitude = std::bit_width(static_cast<std::uint64_t>(single_unit_top - 1));
  l.sub_bucket_half_count_magnitude = (count_magnitude > 1 ? count_magnitude : 1) - 1;
  l.sub_bucket_count = 1 << (l.sub_bucket_half_count_magnitude + 1);
  l.unit_magnitude = std::bit_width(static_cast<std::uint64_t>(lowest)) - 1;
  if (l.unit_magnitude + l.sub_bucket_half_count_magnitude > 61) {
    return fail(std::to_string(digits) + " significant digits cannot be represented above a " +
                "lowest discernible value of " + std::to_string(lowest));
  }
  l.sub_bucket_mask = static_cast<std::int64_t>(l.sub_bucket_count - 1) << l.unit_magnitude;
  l.leading_zero_count_base = 64 - l.unit_magnitude - l.sub_bucket_half_count_magnitude - 1;

  // Bucket k covers [0, sub_bucket_count << (k + unit)); add buckets until highest fits.
  std::int64_t smallest_untrackable = static_cast<std::int64_t>(l.sub_bucket_count)
                                      << l.unit_magnitude;
  int buckets = 1;
  while (smallest_untrackable <= highest) {
    if (smallest_untrackable > std::numeric_limits<std::int64_t>::max() / 2) {
      ++buckets;  // the next doubling would overflow: this bucket reaches the int64 top
      break;
    }
    smallest_untrackable <<= 1;
    ++buckets;
  }
  l.bucket_count = buckets;
  l.counts_length = static_cast<std::int64_t>(buckets + 1) * (l.sub_bucket_count / 2);
  return l;
}

}  // namespace cxh::histogram::detail
