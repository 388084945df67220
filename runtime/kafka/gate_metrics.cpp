// gate_metrics.cpp: mesh-gate's Prometheus metrics.
#include "gate_metrics.h"

#include <algorithm>
#include <map>
#include <utility>

namespace meshrt {

BatchMetrics::BatchMetrics(const std::string& product, prometheus::Counter& in, prometheus::Counter& valid,
                           prometheus::Family<prometheus::Counter>& invalid, prometheus::Histogram& timing,
                           prometheus::Histogram::BucketBoundaries bounds)
    : product_(product),
      in_(in),
      valid_(valid),
      invalid_(invalid),
      timing_(timing),
      bounds_(std::move(bounds)),
      counts_(bounds_.size() + 1) {}

void BatchMetrics::message(bool ok, double seconds, Rule firstViolation) {
  ++in_count_;
  if (ok)
    ++valid_count_;
  else
    ++invalid_counts_[static_cast<size_t>(firstViolation)];
  // The bucket of `seconds` as prometheus-cpp picks it: the first bound it
  // does not exceed ("le"), the last one (+Inf) when it exceeds all.
  counts_[std::lower_bound(bounds_.begin(), bounds_.end(), seconds) - bounds_.begin()] += 1;
  sum_ += seconds;
}

void BatchMetrics::publish() {
  if (!in_count_) return;
  in_.Increment(static_cast<double>(in_count_));
  if (valid_count_) valid_.Increment(static_cast<double>(valid_count_));
  for (size_t rule = 0; rule < invalid_counts_.size(); ++rule) {
    if (!invalid_counts_[rule]) continue;
    if (!invalidByRule_[rule])
      invalidByRule_[rule] = &invalid_.Add({{"product", product_}, {"rule", ruleName(static_cast<Rule>(rule))}});
    invalidByRule_[rule]->Increment(static_cast<double>(invalid_counts_[rule]));
    invalid_counts_[rule] = 0;
  }
  timing_.ObserveMultiple(counts_, sum_);
  std::fill(counts_.begin(), counts_.end(), 0.0);
  sum_ = 0;
  in_count_ = valid_count_ = 0;
}

namespace {

const prometheus::Histogram::BucketBoundaries kTimingBounds{1e-6, 2e-6, 5e-6, 1e-5, 2e-5, 5e-5, 1e-4, 1e-3};

prometheus::Family<prometheus::Counter>& counter(prometheus::Registry& registry, const char* name, const char* help) {
  return prometheus::BuildCounter().Name(name).Help(help).Register(registry);
}

}  // namespace

// The counters are registered before the stream checks' (the order of the
// exposition): in, valid, invalid, produced, failures.
GateMetrics::GateMetrics(const std::string& product, int port)
    : registry_(std::make_shared<prometheus::Registry>()),
      exposer_(port ? std::make_unique<prometheus::Exposer>("127.0.0.1:" + std::to_string(port)) : nullptr),
      // Braces: the counters are registered left to right.
      batch_{product,
             counter(*registry_, "mesh_messages_in_total", "Messages read from the input topic")
                 .Add({{"product", product}}),
             counter(*registry_, "mesh_messages_valid_total", "Messages that passed validation")
                 .Add({{"product", product}}),
             counter(*registry_, "mesh_messages_invalid_total",
                     "Messages that failed validation, by the rule of their first violation"),
             prometheus::BuildHistogram()
                 .Name("mesh_validation_seconds")
                 .Help("Time to parse and validate one message")
                 .Register(*registry_)
                 .Add({{"product", product}}, kTimingBounds),
             kTimingBounds},
      produced_(counter(*registry_, "mesh_produced_total", "Messages acknowledged on the output or dead-letter topic")
                    .Add({{"product", product}})),
      failures_(counter(*registry_, "mesh_delivery_failures_total", "Messages the broker did not acknowledge")
                    .Add({{"product", product}})) {
  if (exposer_) exposer_->RegisterCollectable(registry_);
}

}  // namespace meshrt
