// The .hgrm percentile distribution: HdrHistogram's PercentileIterator walked exactly as the
// reference does (same floating-point steps), printed with the reference's number formatting.
#include <cmath>
#include <cxh/histogram/hdr.hpp>
#include <stdexcept>

#include "decimal.hpp"

namespace cxh::histogram {
namespace {

// One reported step: the bucket reached, the cumulative count and the percentile level.
struct percentile_step {
  std::int64_t value;
  std::int64_t total_to_here;
  double level;
};

// Levels start at 0% and move in `ticks` equal steps per half of the remaining distance to 100%;
// a step is reported at the first non-empty bucket whose cumulative percentile reaches the level.
// The last non-empty bucket is reported once more at exactly 100%.
template <typename Emit>
void walk_percentiles(const hdr& h, int ticks, Emit emit) {
  const std::int64_t total = h.total_count();
  if (total == 0) return;
  double level = 0;
  std::int64_t running = 0;
  int index = 0;
  bool fresh = true;  // the current bucket's count is not yet in `running`
  const int length = h.counts_length();
  while (running < total) {
    bool reported = false;
    while (index < length) {
      const std::int64_t count = h.count_at_index(index);
      if (fresh) {
        running += count;
        fresh = false;
      }
      if (count != 0 &&
          100.0 * static_cast<double>(running) / static_cast<double>(total) >= level) {
        emit(percentile_step{h.highest_equivalent(h.value_from_index(index)), running, level});
        const double half_distances = std::floor(std::log2(100.0 / (100.0 - level)));
        const double reporting_ticks = ticks * std::pow(2.0, half_distances + 1);
        const double next = level + 100.0 / reporting_ticks;
        // Past ~2^46 samples the level can stop moving before 100% (the reference then loops
        // forever); jump to the final 100% step instead.
        if (next == level) running = total;
        level = next;
        reported = true;
        break;
      }
      ++index;
      fresh = true;
    }
    if (!reported) return;  // counts and total disagree: nothing more to report
  }
  emit(percentile_step{h.highest_equivalent(h.value_from_index(index)), running, 100.0});
}

}  // namespace

std::string to_hgrm(const hdr& h, double output_value_unit_scaling,
                    int percentile_ticks_per_half_distance) {
  if (!(output_value_unit_scaling > 0) || std::isinf(output_value_unit_scaling)) {
    throw std::invalid_argument("to_hgrm: the value unit scaling must be a positive number");
  }
  if (percentile_ticks_per_half_distance < 1) {
    throw std::invalid_argument("to_hgrm: percentile ticks per half distance must be >= 1");
  }
  using detail::format_fixed;
  using detail::pad_left;
  const int digits = h.significant_digits();
  std::string out = "       Value     Percentile TotalCount 1/(1-Percentile)\n\n";
  walk_percentiles(h, percentile_ticks_per_half_distance, [&](const percentile_step& s) {
    out += pad_left(format_fixed(static_cast<double>(s.value) / output_value_unit_scaling, digits),
                    12);
    out += ' ';
    out += pad_left(format_fixed(s.level / 100.0, 12), 2);
    out += ' ';
    out += pad_left(std::to_string(s.total_to_here), 10);
    if (s.level < 100.0) {
      out += ' ';
      out += pad_left(format_fixed(1.0 / (1.0 - s.level / 100.0), 2), 14);
    }
    out += '\n';
  });
  auto number = [&](double v) {
    return pad_left(format_fixed(v / output_value_unit_scaling, digits), 12);
  };
  auto integer = [](std::int64_t v) { return pad_left(std::to_string(v), 12); };
  out += "#[Mean    = " + number(h.mean()) + ", StdDeviation   = " + number(h.stddev()) + "]\n";
  out += "#[Max     = " + number(static_cast<double>(h.max())) +
         ", Total count    = " + integer(h.total_count()) + "]\n";
  out += "#[Buckets = " + integer(h.bucket_count()) +
         ", SubBuckets     = " + integer(h.sub_bucket_count()) + "]\n";
  return out;
}

}  // namespace cxh::histogram
