// gate_metrics.h: mesh-gate's Prometheus metrics (docs/gate.md), on
// 127.0.0.1:--metrics-port when one is given.
#pragma once

#include <prometheus/counter.h>
#include <prometheus/exposer.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "meshrt/runtime.h"

namespace meshrt {

// The per-message metrics of a batch, added to the registry once per batch:
// prometheus-cpp's Histogram::Observe takes a mutex, and a labelled counter's
// Family::Add builds and looks up its label set, on every call.
class BatchMetrics {
 public:
  BatchMetrics(const std::string& product, prometheus::Counter& in, prometheus::Counter& valid,
               prometheus::Family<prometheus::Counter>& invalid, prometheus::Histogram& timing,
               prometheus::Histogram::BucketBoundaries bounds);
  void message(bool ok, double seconds, Rule firstViolation);
  void publish();

 private:
  static constexpr size_t kRules = kRuleCount;
  const std::string& product_;
  prometheus::Counter &in_, &valid_;
  prometheus::Family<prometheus::Counter>& invalid_;
  prometheus::Histogram& timing_;
  prometheus::Histogram::BucketBoundaries bounds_;
  std::vector<double> counts_;
  double sum_ = 0;
  uint64_t in_count_ = 0, valid_count_ = 0;
  std::array<uint64_t, kRules> invalid_counts_{};
  std::array<prometheus::Counter*, kRules> invalidByRule_{};
};

/// The gate's registry (the stream checks add theirs to it), its exposer,
/// and the counters of what was read, produced and lost.
class GateMetrics {
 public:
  /// `product` must outlive the metrics (it labels every batch's counts);
  /// `port` 0 exposes nothing.
  GateMetrics(const std::string& product, int port);
  prometheus::Registry& registry() { return *registry_; }
  BatchMetrics& batch() { return batch_; }
  void produced(double messages) { produced_.Increment(messages); }
  void failed(double messages) { failures_.Increment(messages); }

 private:
  std::shared_ptr<prometheus::Registry> registry_;
  std::unique_ptr<prometheus::Exposer> exposer_;
  BatchMetrics batch_;  // registers its counters first (the order of the exposition)
  prometheus::Counter& produced_;
  prometheus::Counter& failures_;
};

}  // namespace meshrt
