#pragma once

#include <bit>
#include <cstdint>
#include <functional>
#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cxh::histogram {

// An HDR histogram (HdrHistogram's design): values are grouped in buckets whose width grows with
// the value so that every recorded value is kept to `significant_digits` decimal digits. Counts
// are 64-bit. record() is O(1) and never allocates; nothing here is thread-safe (one histogram
// per thread, merged with add()).
class hdr {
 public:
  // lowest discernible >= 1, highest trackable >= 2*lowest, significant digits 0..5; throws
  // std::invalid_argument otherwise.
  hdr(std::int64_t lowest_discernible = 1, std::int64_t highest_trackable = 3'600'000'000'000,
      int significant_digits = 3);

  // False (and counted in out_of_range()) when value < 0, value is beyond the last bucket (which
  // covers at least highest_trackable, as in HdrHistogram) or count < 0.
  bool record(std::int64_t value, std::int64_t count = 1) noexcept {
    if (value < 0 || count < 0) return reject(count);
    const std::size_t index = counts_index(value);
    if (index >= counts_.size()) return reject(count);
    counts_[index] += count;
    total_ += count;
    if (count != 0) {
      if (value > max_) max_ = value;
      if (value != 0 && value < min_non_zero_) min_non_zero_ = value;
    }
    return true;
  }
  // Coordinated-omission correction as HdrHistogram's recordValueWithExpectedInterval: also
  // records value - k*interval for k = 1.. while >= interval. False when value is out of range.
  bool record_corrected(std::int64_t value, std::int64_t expected_interval) noexcept;
  // Merge by adding counts (and out_of_range); works across different ranges/precision by
  // re-recording each bucket's lowest equivalent value. Start/end times widen to cover both.
  void add(const hdr& other);
  void reset() noexcept;

  std::int64_t total_count() const noexcept { return total_; }
  std::int64_t out_of_range() const noexcept { return out_of_range_; }
  // As HdrHistogram: min() is the lowest equivalent of the smallest value (0 when empty), max()
  // the highest equivalent of the largest (0 when empty); mean and stddev use each bucket's
  // median equivalent value.
  std::int64_t min() const noexcept;
  std::int64_t max() const noexcept;
  double mean() const noexcept;
  double stddev() const noexcept;
  // HdrHistogram's getValueAtPercentile (highest equivalent value; lowest for 0). 0 when empty.
  std::int64_t value_at_percentile(double percentile /*0..100*/) const noexcept;
  // Percent (0..100) of the counts at or below value's bucket; 100 when empty.
  double percentile_at_or_below(std::int64_t value) const noexcept;
  // Count recorded in value's bucket (0 when out of range).
  std::int64_t count_at(std::int64_t value) const noexcept;

  std::int64_t lowest_equivalent(std::int64_t v) const noexcept;
  std::int64_t highest_equivalent(std::int64_t v) const noexcept;
  std::int64_t median_equivalent(std::int64_t v) const noexcept;
  std::int64_t size_of_equivalent_range(std::int64_t v) const noexcept;
  bool values_are_equivalent(std::int64_t a, std::int64_t b) const noexcept;

  std::int64_t lowest_discernible() const noexcept { return lowest_; }
  std::int64_t highest_trackable() const noexcept { return highest_; }
  int significant_digits() const noexcept { return digits_; }
  // Layout figures (the .hgrm footer prints them).
  int bucket_count() const noexcept { return bucket_count_; }
  int sub_bucket_count() const noexcept { return sub_bucket_count_; }

  // Iteration: every non-empty bucket (value = highest equivalent, count), ascending.
  void for_each_recorded(
      const std::function<void(std::int64_t value, std::int64_t count)>& fn) const;

  // Same configuration and the same count in every bucket (times, tag and out_of_range ignored).
  bool same_counts(const hdr& other) const noexcept;

  // Interval-log bookkeeping, in ms since the epoch (0 when unset).
  std::int64_t start_time_ms = 0, end_time_ms = 0;
  std::string tag;

  // Raw bucket access for the encoder/decoder and iterators: index -> lowest value of the bucket.
  std::size_t counts_length() const noexcept { return counts_.size(); }
  std::int64_t count_at_index(std::size_t i) const noexcept { return counts_[i]; }
  std::int64_t value_from_index(std::size_t i) const noexcept;
  // Adds count to bucket i (i < counts_length(), count >= 0); keeps totals, min and max right.
  void add_at_index(std::size_t i, std::int64_t count) noexcept;

 private:
  bool reject(std::int64_t count) noexcept {
    out_of_range_ += count > 0 ? count : 1;
    return false;
  }
  int bucket_index(std::int64_t v) const noexcept {
    return leading_zero_count_base_ -
           std::countl_zero(static_cast<std::uint64_t>(v | sub_bucket_mask_));
  }
  std::int64_t sub_bucket_index(std::int64_t v, int bucket) const noexcept {
    return v >> (bucket + unit_magnitude_);
  }
  std::size_t counts_index(std::int64_t v) const noexcept {
    const int bucket = bucket_index(v);
    const std::int64_t base = static_cast<std::int64_t>(bucket + 1)
                              << sub_bucket_half_count_magnitude_;
    return static_cast<std::size_t>(base + sub_bucket_index(v, bucket) - sub_bucket_half_count_);
  }

  std::int64_t lowest_ = 1, highest_ = 2;
  int digits_ = 3;
  int unit_magnitude_ = 0;
  int sub_bucket_half_count_magnitude_ = 0;
  int sub_bucket_count_ = 0;
  std::int64_t sub_bucket_half_count_ = 0;
  std::int64_t sub_bucket_mask_ = 0;
  int leading_zero_count_base_ = 0;
  int bucket_count_ = 0;
  std::vector<std::int64_t> counts_;
  std::int64_t total_ = 0;
  std::int64_t out_of_range_ = 0;
  std::int64_t max_ = 0;
  std::int64_t min_non_zero_ = INT64_MAX;
};

// The .hgrm "percentile distribution" text exactly as HdrHistogram's outputPercentileDistribution
// prints it (Value, Percentile, TotalCount, 1/(1-Percentile) columns; the #[Mean ...], #[Max ...],
// #[Buckets ...] footer). Throws std::invalid_argument for a scaling <= 0 or ticks < 1.
std::string to_hgrm(const hdr& h, double output_value_unit_scaling = 1.0,
                    int percentile_ticks_per_half_distance = 5);

// HdrHistogram V2 compressed encoding (encodeIntoCompressedByteBuffer: cookie 0x1c849304 around a
// zlib-deflated V2 payload with ZigZag LEB128 counts and zero-run encoding), and its base64 form.
// Decoding bounds memory: a declared range or payload larger than the limits in compressed.cpp is
// an error, not an allocation.
std::string encode_compressed(const hdr& h);  // raw bytes
std::optional<hdr> decode_compressed(std::string_view bytes, std::string* why = nullptr);
std::string to_base64(const hdr& h);
std::optional<hdr> from_base64(std::string_view b64, std::string* why = nullptr);

// The HdrHistogram interval log (.hlog) as HistogramLogWriter/HistogramLogReader write and read
// it: "#[Histogram log format version 1.3]", "#[StartTime: ...]", "#[BaseTime: ...]", the legend
// line, then one line per interval "[Tag=...,]start,length,max,base64".
class hlog_writer {
 public:
  explicit hlog_writer(std::ostream& out) : out_(out) {}
  // Writes "#<comment>" (when given), version, StartTime, BaseTime (= start_time_s) and legend.
  void write_header(double start_time_s, std::string_view comment = {});
  // start_s is relative to the BaseTime; max is printed as h.max() / max_value_unit_ratio. The
  // tag is h.tag (omitted when empty; ',', ' ' and line breaks in it are replaced by '_').
  void write_interval(const hdr& h, double start_s, double length_s,
                      double max_value_unit_ratio = 1e6);

 private:
  std::ostream& out_;
};

struct hlog_interval {
  std::string tag;
  double start_s = 0, length_s = 0;  // start relative to the base time
  double max = 0;                    // as written (already divided by the unit ratio)
  hdr histogram;                     // start/end_time_ms set from base + start, + length
};
struct hlog_file {
  double start_time_s = 0;
  double base_time_s = 0;
  std::vector<hlog_interval> intervals;
};
// Errors say the line number and what is wrong.
std::optional<hlog_file> read_hlog(std::istream& in, std::string* why = nullptr);

}  // namespace cxh::histogram
