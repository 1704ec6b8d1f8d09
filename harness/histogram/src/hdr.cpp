#include <algorithm>
#include <cmath>
#include <cxh/histogram/hdr.hpp>
#include <stdexcept>

#include "layout.hpp"

namespace cxh::histogram {

hdr::hdr(std::int64_t lowest_discernible, std::int64_t highest_trackable, int significant_digits)
    : lowest_discernible_(lowest_discernible),
      highest_trackable_(highest_trackable),
      significant_digits_(significant_digits) {
  std::string why;
  const auto l =
      detail::make_layout(lowest_discernible, highest_trackable, significant_digits, &why);
  if (!l) throw std::invalid_argument("histogram: " + why);
  unit_magnitude_ = l->unit_magnitude;
  sub_bucket_half_count_magnitude_ = l->sub_bucket_half_count_magnitude;
  sub_bucket_count_ = l->sub_bucket_count;
  sub_bucket_half_count_ = l->sub_bucket_count / 2;
  sub_bucket_mask_ = l->sub_bucket_mask;
  leading_zero_count_base_ = l->leading_zero_count_base;
  bucket_count_ = l->bucket_count;
  counts_.assign(static_cast<std::size_t>(l->counts_length), 0);
}

bool hdr::record_corrected(std::int64_t value, std::int64_t expected_interval) {
  if (!record(value)) return false;
  if (expected_interval <= 0) return true;
  // The samples a stalled recorder missed: one per interval, down to the interval itself.
  for (std::int64_t missing = value - expected_interval; missing >= expected_interval;
       missing -= expected_interval) {
    record(missing);
  }
  return true;
}

void hdr::add(const hdr& other) {
  if (same_layout(other)) {
    for (std::size_t i = 0; i < counts_.size(); ++i) counts_[i] += other.counts_[i];
    total_count_ += other.total_count_;
    max_value_ = std::max(max_value_, other.max_value_);
    min_non_zero_value_ = std::min(min_non_zero_value_, other.min_non_zero_value_);
  } else {
    for (int i = 0; i < other.counts_length(); ++i) {
      const std::int64_t c = other.count_at_index(i);
      if (c > 0) record(other.value_from_index(i), c);
    }
  }
  out_of_range_ += other.out_of_range_;
  auto earliest = [](std::int64_t a, std::int64_t b) {
    return a == 0 ? b : b == 0 ? a : std::min(a, b);
  };
  start_time_ms = earliest(start_time_ms, other.start_time_ms);
  end_time_ms = std::max(end_time_ms, other.end_time_ms);
}

void hdr::reset() {
  std::fill(counts_.begin(), counts_.end(), 0);
  total_count_ = 0;
  out_of_range_ = 0;
  max_value_ = 0;
  min_non_zero_value_ = INT64_MAX;
  start_time_ms = end_time_ms = 0;
  tag.clear();
}

std::int64_t hdr::min() const {
  if (total_count_ == 0 || counts_[0] > 0) return 0;
  return lowest_equivalent(min_non_zero_value_);
}

std::int64_t hdr::max() const {
  return max_value_ == 0 ? 0 : highest_equivalent(max_value_);
}

double hdr::mean() const {
  if (total_count_ == 0) return 0.0;
  double total = 0;
  for (int i = 0; i < counts_length(); ++i) {
    const std::int64_t c = counts_[static_cast<std::size_t>(i)];
    if (c > 0)
      total += static_cast<double>(median_equivalent(value_from_index(i))) * static_cast<double>(c);
  }
  return total / static_cast<double>(total_count_);
}

double hdr::stddev() const {
  if (total_count_ == 0) return 0.0;
  const double m = mean();
  double sum_sq = 0;
  for (int i = 0; i < counts_length(); ++i) {
    const std::int64_t c = counts_[static_cast<std::size_t>(i)];
    if (c == 0) continue;
    const double dev = static_cast<double>(median_equivalent(value_from_index(i))) - m;
    sum_sq += dev * dev * static_cast<double>(c);
  }
  return std::sqrt(sum_sq / static_cast<double>(total_count_));
}

std::int64_t hdr::value_at_percentile(double percentile) const {
  if (!(percentile >= 0)) percentile = 0;  // also NaN
  if (percentile > 100) percentile = 100;
  // As the reference: round the fractional count up, but not when it is within one ulp above an
  // integer (floating-point noise must not skip a bucket); at least the first recorded value.
  const double fp_count = percentile / 100.0 * static_cast<double>(total_count_);
  const double ulp = fp_count > 0 ? std::ldexp(1.0, std::ilogb(fp_count) - 52) : 0.0;
  const auto wanted =
      std::max<std::int64_t>(static_cast<std::int64_t>(std::ceil(fp_count - ulp)), 1);
  std::int64_t running = 0;
  for (int i = 0; i < counts_length(); ++i) {
    running += counts_[static_cast<std::size_t>(i)];
    if (running >= wanted) {
      const std::int64_t v = value_from_index(i);
      return percentile == 0.0 ? lowest_equivalent(v) : highest_equivalent(v);
    }
  }
  return 0;
}

double hdr::percentile_at_or_below(std::int64_t value) const {
  if (total_count_ == 0) return 100.0;
  if (value < 0) return 0.0;
  const int last = std::min(index_of(value), counts_length() - 1);
  std::int64_t running = 0;
  for (int i = 0; i <= last; ++i) running += counts_[static_cast<std::size_t>(i)];
  return 100.0 * static_cast<double>(running) / static_cast<double>(total_count_);
}

std::int64_t hdr::count_at(std::int64_t value) const {
  if (value < 0) return 0;
  const int i = index_of(value);
  return i < counts_length() ? counts_[static_cast<std::size_t>(i)] : 0;
}

std::int64_t hdr::lowest_equivalent(std::int64_t v) const {
  if (v < 0) v = 0;
  const int bucket = bucket_index(v);
  return value_at(bucket, sub_bucket_index(v, bucket));
}

std::int64_t hdr::size_of_equivalent_range(std::int64_t v) const {
  if (v < 0) v = 0;
  const int bucket = bucket_index(v);
  const int sub_bucket = sub_bucket_index(v, bucket);
  const int shift = unit_magnitude_ + (sub_bucket >= sub_bucket_count_ ? bucket + 1 : bucket);
  return std::int64_t{1} << shift;
}

// lowest + (size - 1) rather than next - 1: the top bucket may end at INT64_MAX.
std::int64_t hdr::highest_equivalent(std::int64_t v) const {
  return lowest_equivalent(v) + (size_of_equivalent_range(v) - 1);
}

std::int64_t hdr::median_equivalent(std::int64_t v) const {
  return lowest_equivalent(v) + size_of_equivalent_range(v) / 2;
}

bool hdr::same_layout(const hdr& other) const {
  return lowest_discernible_ == other.lowest_discernible_ &&
         highest_trackable_ == other.highest_trackable_ &&
         significant_digits_ == other.significant_digits_;
}

bool hdr::same_counts(const hdr& other) const {
  return same_layout(other) && counts_ == other.counts_;
}

void hdr::for_each_recorded(
    const std::function<void(std::int64_t value, std::int64_t count)>& fn) const {
  for (int i = 0; i < counts_length(); ++i) {
    const std::int64_t c = counts_[static_cast<std::size_t>(i)];
    if (c != 0) fn(highest_equivalent(value_from_index(i)), c);
  }
}

std::int64_t hdr::value_from_index(int index) const {
  int bucket = (index >> sub_bucket_half_count_magnitude_) - 1;
  int sub_bucket = (index & (sub_bucket_half_count_ - 1)) + sub_bucket_half_count_;
  if (bucket < 0) {  // bucket 0 uses its lower half too
    sub_bucket -= sub_bucket_half_count_;
    bucket = 0;
  }
  return value_at(bucket, sub_bucket);
}

bool hdr::set_count_at_index(int index, std::int64_t count) {
  if (index < 0 || index >= counts_length() || count < 0) return false;
  std::int64_t& slot = counts_[static_cast<std::size_t>(index)];
  const std::int64_t old = slot;
  slot = count;
  total_count_ += count - old;
  if (count > 0) {
    // The decoded data only says which bucket: keep its extremes, as the reference decoder does.
    const std::int64_t low = value_from_index(index);
    max_value_ = std::max(max_value_, highest_equivalent(low));
    if (low != 0) min_non_zero_value_ = std::min(min_non_zero_value_, low);
  } else if (old > 0) {
    max_value_ = 0;
    min_non_zero_value_ = INT64_MAX;
    for (int i = 0; i < counts_length(); ++i) {
      if (counts_[static_cast<std::size_t>(i)] == 0) continue;
      const std::int64_t low = value_from_index(i);
      max_value_ = highest_equivalent(low);
      if (low != 0) min_non_zero_value_ = std::min(min_non_zero_value_, low);
    }
  }
  return true;
}

}  // namespace cxh::histogram
