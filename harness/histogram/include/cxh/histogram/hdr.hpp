// An HDR (high dynamic range) histogram after the HdrHistogram design: values are counted in
// buckets whose width grows with the value so that every value is kept to a fixed number of
// significant decimal digits, with O(1), allocation-free recording. Plus the HdrHistogram
// interchange formats: the .hgrm percentile text, the V2 compressed encoding (and its base64
// form) and the .hlog interval log, all readable by the Java/JS HdrHistogram tools.
//
// Not thread-safe: give each recording thread its own histogram and merge them with add().
#pragma once

#include <cstdint>
#include <functional>
#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cxh::histogram {

class hdr {
 public:
  // lowest discernible >= 1, highest trackable >= 2*lowest, significant digits 0..5; throws
  // std::invalid_argument otherwise (also when the layout would not fit 64-bit values).
  hdr(std::int64_t lowest_discernible = 1, std::int64_t highest_trackable = 3'600'000'000'000,
      int significant_digits = 3);

  // Records `count` samples of `value`. Values outside [0, highest_trackable()] are not recorded:
  // returns false and adds `count` to out_of_range(). A negative count is rejected (false, nothing
  // counted); a count of 0 is a no-op.
  bool record(std::int64_t value, std::int64_t count = 1) {
    if (count <= 0) return count == 0;
    if (value < 0 || value > highest_trackable_) {
      out_of_range_ += count;
      return false;
    }
    counts_[static_cast<std::size_t>(index_of(value))] += count;
    total_count_ += count;
    if (value > max_value_) max_value_ = value;
    if (value != 0 && value < min_non_zero_value_) min_non_zero_value_ = value;
    return true;
  }
  // Coordinated-omission correction as HdrHistogram's recordValueWithExpectedInterval: also
  // records value - k*interval for k = 1.. while >= interval. An interval <= 0 records only
  // `value`. Returns false (nothing recorded) when `value` is out of range.
  bool record_corrected(std::int64_t value, std::int64_t expected_interval);

  // Merges by adding counts. Same layout: counts are added index by index; otherwise each bucket
  // of `other` is re-recorded at its lowest equivalent value (HdrHistogram's add()), so precision
  // is the coarser of the two. Buckets this one cannot hold go to out_of_range().
  void add(const hdr& other);
  // Clears counts, min/max, out_of_range, times and tag; keeps the layout.
  void reset();

  std::int64_t total_count() const { return total_count_; }
  std::int64_t out_of_range() const { return out_of_range_; }
  // HdrHistogram's getMinValue (lowest equivalent of the smallest value, 0 when empty) and
  // getMaxValue (highest equivalent of the largest value, 0 when empty).
  std::int64_t min() const;
  std::int64_t max() const;
  // Over the median equivalent value of each bucket, as HdrHistogram computes them; 0 when empty.
  double mean() const;
  double stddev() const;

  // HdrHistogram's getValueAtPercentile: the highest equivalent value of the first bucket at which
  // the cumulative count reaches ceil(percentile/100 * total) (at least 1); the lowest equivalent
  // for percentile 0. percentile is clamped to 0..100; 0 when empty.
  std::int64_t value_at_percentile(double percentile) const;
  // Percentage (0..100) of recorded samples whose bucket is at or below that of `value`; 100 when
  // empty (HdrHistogram's getPercentileAtOrBelowValue).
  double percentile_at_or_below(std::int64_t value) const;
  // Count in the bucket holding `value` (0 when out of range).
  std::int64_t count_at(std::int64_t value) const;

  std::int64_t lowest_equivalent(std::int64_t v) const;
  std::int64_t highest_equivalent(std::int64_t v) const;
  std::int64_t median_equivalent(std::int64_t v) const;
  std::int64_t size_of_equivalent_range(std::int64_t v) const;
  bool values_are_equivalent(std::int64_t a, std::int64_t b) const {
    return lowest_equivalent(a) == lowest_equivalent(b);
  }

  std::int64_t lowest_discernible() const { return lowest_discernible_; }
  std::int64_t highest_trackable() const { return highest_trackable_; }
  int significant_digits() const { return significant_digits_; }
  // Same lowest/highest/digits (so identical bucket boundaries).
  bool same_layout(const hdr& other) const;
  // Same layout and the same count in every bucket (min/max/out_of_range/times/tag ignored).
  bool same_counts(const hdr& other) const;

  // Iteration: every non-empty bucket (value = highest equivalent, count), ascending.
  void for_each_recorded(
      const std::function<void(std::int64_t value, std::int64_t count)>& fn) const;

  // Interval-log bookkeeping, in ms since the epoch (0 when unset).
  std::int64_t start_time_ms = 0, end_time_ms = 0;
  std::string tag;

  // The layout's bucket and sub-bucket counts (the .hgrm footer prints them).
  int bucket_count() const { return bucket_count_; }
  int sub_bucket_count() const { return sub_bucket_count_; }

  // Low-level bucket access for the encoders: counts array length and per-index access.
  int counts_length() const { return static_cast<int>(counts_.size()); }
  std::int64_t count_at_index(int index) const { return counts_[static_cast<std::size_t>(index)]; }
  std::int64_t value_from_index(int index) const;
  int index_of(std::int64_t value) const {
    const int bucket = bucket_index(value);
    return counts_index(bucket, sub_bucket_index(value, bucket));
  }
  // Sets a bucket's count directly, for filling a fresh histogram (decoding): the total follows,
  // min/max only widen. Returns false when index is outside the array or count is negative.
  bool set_count_at_index(int index, std::int64_t count);

 private:
  int bucket_index(std::int64_t value) const {
    // The mask forces values below the first bucket's top into bucket 0.
    return leading_zero_count_base_ -
           __builtin_clzll(static_cast<std::uint64_t>(value | sub_bucket_mask_));
  }
  int sub_bucket_index(std::int64_t value, int bucket) const {
    return static_cast<int>(value >> (bucket + unit_magnitude_));
  }
  int counts_index(int bucket, int sub_bucket) const {
    return ((bucket + 1) << sub_bucket_half_count_magnitude_) +
           (sub_bucket - sub_bucket_half_count_);
  }
  std::int64_t value_at(int bucket, int sub_bucket) const {
    return static_cast<std::int64_t>(sub_bucket) << (bucket + unit_magnitude_);
  }

  std::int64_t lowest_discernible_;
  std::int64_t highest_trackable_;
  int significant_digits_;
  int unit_magnitude_ = 0;
  int sub_bucket_half_count_magnitude_ = 0;
  int sub_bucket_count_ = 0;
  int sub_bucket_half_count_ = 0;
  std::int64_t sub_bucket_mask_ = 0;
  int leading_zero_count_base_ = 0;
  int bucket_count_ = 0;
  std::vector<std::int64_t> counts_;
  std::int64_t total_count_ = 0;
  std::int64_t out_of_range_ = 0;
  std::int64_t max_value_ = 0;
  std::int64_t min_non_zero_value_ = INT64_MAX;
};

// The .hgrm "percentile distribution" text exactly as HdrHistogram's outputPercentileDistribution
// prints it (Value, Percentile, TotalCount, 1/(1-Percentile) columns; the #[Mean ...],
// #[Max ...], #[Buckets ...] footer). Values are divided by output_value_unit_scaling.
std::string to_hgrm(const hdr& h, double output_value_unit_scaling = 1.0,
                    int percentile_ticks_per_half_distance = 5);

// HdrHistogram V2 compressed encoding ("encodeIntoCompressedByteBuffer": cookie 0x1c849304 | 0x10
// and length around a zlib-deflated V2 payload with ZigZag LEB128 counts and zero-run encoding).
std::string encode_compressed(const hdr& h);  // raw bytes
// Errors (in *why) say what is wrong and at which byte; declared sizes are checked against
// bounds before anything is allocated.
std::optional<hdr> decode_compressed(std::string_view bytes, std::string* why = nullptr);
std::string to_base64(const hdr& h);
std::optional<hdr> from_base64(std::string_view b64, std::string* why = nullptr);

// The HdrHistogram interval log (.hlog) as HistogramLogWriter/HistogramLogReader write and read
// it: "#[Histogram log format version 1.3]", "#[StartTime: ...]", "#[BaseTime: ...]", the legend
// line, then one line per interval "[Tag=...,]start,length,max,base64".
class hlog_writer {
 public:
  explicit hlog_writer(std::ostream& out) : out_(out) {}
  // Writes the comment (if any), version, StartTime, BaseTime (both = start_time_s) and legend.
  void write_header(double start_time_s, std::string_view comment = {});
  // One interval line; start_s is relative to the base time; the max column is
  // h.max() / max_value_unit_ratio; the tag comes from h.tag (omitted when empty).
  void write_interval(const hdr& h, double start_s, double length_s,
                      double max_value_unit_ratio = 1e6);

 private:
  std::ostream& out_;
};

struct hlog_interval {
  std::string tag;
  double start_s = 0, length_s = 0;  // start_s as written (relative to the base time)
  double max = 0;                    // the Interval_Max column as written
  hdr histogram;                     // start/end_time_ms set from base + start and length
};
struct hlog_file {
  double start_time_s = 0;
  double base_time_s = 0;
  std::vector<hlog_interval> intervals;
};
// Errors (in *why) say the line number and what is wrong.
std::optional<hlog_file> read_hlog(std::istream& in, std::string* why = nullptr);

}  // namespace cxh::histogram
