// stream_checks.cpp: quality rules and SLA freshness on the stream (see
// stream_checks.h and docs/gate.md).
#include "stream_checks.h"

#include <simdjson.h>

#include <cinttypes>
#include <cmath>
#include <cstdio>

namespace meshrt {

namespace {

constexpr int64_t kSecond = 1000000;

bool holds(QualityRuleSpec::Op op, double value, double threshold) {
  switch (op) {
    case QualityRuleSpec::Op::Lt:
      return value < threshold;
    case QualityRuleSpec::Op::Le:
      return value <= threshold;
    case QualityRuleSpec::Op::Gt:
      return value > threshold;
    case QualityRuleSpec::Op::Ge:
      return value >= threshold;
    case QualityRuleSpec::Op::Eq:
      return value == threshold;
    case QualityRuleSpec::Op::Ne:
      return value != threshold;
  }
  return true;
}

std::string format(const char* fmt, double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, fmt, v);
  return buf;
}

// The field of a rule in a valid message: its text (strings unescaped) or
// nothing when it is absent or null (also when a record on the way is).
// at_pointer rewinds the document, so one parse serves every rule.
bool fieldText(simdjson::ondemand::document& doc, const char* pointer, std::string& out) {
  simdjson::ondemand::value value;
  if (doc.at_pointer(pointer).get(value)) return false;
  simdjson::ondemand::json_type type;
  if (value.type().get(type) || type == simdjson::ondemand::json_type::null) return false;
  if (type == simdjson::ondemand::json_type::string) {
    std::string_view s;
    if (value.get_string().get(s)) return false;
    out.assign(s.data(), s.size());
    return true;
  }
  std::string_view raw = value.raw_json_token();
  while (!raw.empty() && (raw.back() == ' ' || raw.back() == '\n' || raw.back() == '\r' || raw.back() == '\t'))
    raw.remove_suffix(1);
  out.assign(raw.data(), raw.size());
  return true;
}

}  // namespace

void WindowCounter::expire(int64_t nowMicros) {
  int64_t oldest = (nowMicros - window_) / kSecond;  // buckets at or before this second are out
  while (!buckets_.empty() && buckets_.front().first <= oldest) {
    total_ -= buckets_.front().second;
    buckets_.pop_front();
  }
}

void WindowCounter::add(int64_t nowMicros, uint64_t n) {
  int64_t second = nowMicros / kSecond;
  if (!buckets_.empty() && buckets_.back().first >= second)
    buckets_.back().second += n;
  else
    buckets_.push_back({second, n});
  total_ += n;
  expire(nowMicros);
}

uint64_t WindowCounter::total(int64_t nowMicros) {
  expire(nowMicros);
  return total_;
}

void UniqueWindow::forgetOldest() {
  auto [time, hash] = order_.front();
  (void)time;
  auto at = counts_.find(hash);
  if (at != counts_.end() && --at->second == 0) counts_.erase(at);
  order_.pop_front();
}

bool UniqueWindow::seen(uint64_t hash, int64_t nowMicros) {
  while (!order_.empty() && order_.front().first <= nowMicros - window_) forgetOldest();
  while (order_.size() >= capacity_ && !order_.empty()) {
    forgetOldest();
    truncated_ = true;
  }
  bool repeated = counts_[hash]++ > 0;
  order_.push_back({nowMicros, hash});
  return repeated;
}

StreamChecks::StreamChecks(const ProductRules& rules, const StreamSettings& settings, prometheus::Registry& registry,
                           std::function<void(const std::string&)> log, int64_t startMicros)
    : product_(rules.product),
      settings_(settings),
      log_(std::move(log)),
      start_(startMicros),
      messages_(settings.rateWindowMicros),
      valid_(settings.rateWindowMicros),
      freshness_(rules.freshnessMicros) {
  auto& value = prometheus::BuildGauge()
                    .Name("mesh_quality_value")
                    .Help(
                        "Current value of a quality rule: a ratio (0 to 1) for rates, a count for volume and for "
                        "repeated values of a unique rule")
                    .Register(registry);
  auto& breached = prometheus::BuildGauge()
                       .Name("mesh_quality_breached")
                       .Help("1 while a quality rule is broken, else 0")
                       .Register(registry);
  auto& breaches = prometheus::BuildCounter()
                       .Name("mesh_quality_breaches_total")
                       .Help("Times a quality rule went from holding to broken")
                       .Register(registry);
  rules_.reserve(rules.ruleCount);
  for (size_t i = 0; i < rules.ruleCount; ++i) {
    const QualityRuleSpec& spec = rules.rules[i];
    int64_t window = spec.kind == QualityRuleSpec::Kind::Unique || spec.kind == QualityRuleSpec::Kind::Volume
                         ? spec.windowMicros
                         : settings.rateWindowMicros;
    Rule rule{spec,
              spec.text,
              nullptr,
              nullptr,
              nullptr,
              false,
              WindowCounter(window),
              WindowCounter(window),
              WindowCounter(window),
              UniqueWindow(window, settings.uniqueCapacity)};
    std::map<std::string, std::string> labels = {{"product", product_}, {"rule", rule.label}};
    rule.value = &value.Add(labels);
    rule.breached = &breached.Add(labels);
    rule.breaches = &breaches.Add(labels);
    rules_.push_back(std::move(rule));
  }
  if (freshness_ > 0) {
    lag_ = &prometheus::BuildGauge()
                .Name("mesh_freshness_lag_seconds")
                .Help("Age of the newest event read (now minus its Kafka timestamp)")
                .Register(registry)
                .Add({{"product", product_}});
    std::map<std::string, std::string> labels = {{"product", product_}, {"sla", "freshness"}};
    slaBreached_ = &prometheus::BuildGauge()
                        .Name("mesh_sla_breached")
                        .Help("1 while an SLA is broken, else 0")
                        .Register(registry)
                        .Add(labels);
    slaBreaches_ = &prometheus::BuildCounter()
                        .Name("mesh_sla_breaches_total")
                        .Help("Times an SLA went from holding to broken")
                        .Register(registry)
                        .Add(labels);
  }
}

void StreamChecks::observe(std::string_view json, bool valid, int64_t eventMicros, int64_t nowMicros) {
  // The fields of the unique and null_rate rules, read from the JSON: one
  // parse serves every rule (at_pointer rewinds the document).
  fields_.reset(rules_.size());
  if (valid) {
    simdjson::ondemand::document doc;
    bool parsed = false, failed = false;
    std::string text;
    for (size_t i = 0; i < rules_.size() && !failed; ++i) {
      const QualityRuleSpec& spec = rules_[i].spec;
      if (spec.kind != QualityRuleSpec::Kind::Unique && spec.kind != QualityRuleSpec::Kind::NullRate) continue;
      if (!parsed) {
        padded_.assign(json.data(), json.size());
        padded_.append(simdjson::SIMDJSON_PADDING, '\0');
        failed = parser_.iterate(padded_.data(), json.size(), padded_.size()).get(doc) != simdjson::SUCCESS;
        parsed = true;
        if (failed) break;
      }
      if (fieldText(doc, spec.field, text)) fields_.set(i, std::hash<std::string_view>{}(text));
    }
  }
  observe(fields_, valid, eventMicros, nowMicros);
}

void StreamChecks::observe(const StreamFields& fields, bool valid, int64_t eventMicros, int64_t nowMicros) {
  messages_.add(nowMicros);
  if (valid) valid_.add(nowMicros);
  if (eventMicros > newestEvent_) newestEvent_ = eventMicros;
  for (size_t i = 0; i < rules_.size(); ++i) {
    Rule& rule = rules_[i];
    switch (rule.spec.kind) {
      case QualityRuleSpec::Kind::Volume:
        rule.counted.add(nowMicros);
        break;
      case QualityRuleSpec::Kind::ValidRate:
        break;
      case QualityRuleSpec::Kind::NullRate:
        if (!valid || !fields.applies(i)) break;
        rule.counted.add(nowMicros);
        if (!fields.present(i)) rule.nulls.add(nowMicros);
        break;
      case QualityRuleSpec::Kind::Unique:
        if (!valid || !fields.present(i)) break;
        if (rule.unique.seen(fields.hash(i), nowMicros)) rule.duplicates.add(nowMicros);
        break;
    }
  }
}

void StreamChecks::judge(Rule& rule, bool known, double value, const std::string& shown) {
  rule.value->Set(value);
  if (!known) return;
  bool ok =
      holds(rule.spec.op,
            rule.spec.kind == QualityRuleSpec::Kind::NullRate || rule.spec.kind == QualityRuleSpec::Kind::ValidRate
                ? value * 100
                : value,
            rule.spec.threshold);
  if (rule.spec.kind == QualityRuleSpec::Kind::Unique) ok = value == 0;
  if (!ok && !rule.inBreach) {
    rule.breaches->Increment();
    log_("quality: " + product_ + ": '" + rule.label + "' is broken: " + shown);
  } else if (ok && rule.inBreach) {
    log_("quality: " + product_ + ": '" + rule.label + "' holds again: " + shown);
  }
  rule.inBreach = !ok;
  rule.breached->Set(ok ? 0 : 1);
}

void StreamChecks::evaluate(int64_t nowMicros) {
  uint64_t messages = messages_.total(nowMicros), valid = valid_.total(nowMicros);
  std::string rateWindow = format("%.0f s", static_cast<double>(settings_.rateWindowMicros) / kSecond);
  for (Rule& rule : rules_) {
    switch (rule.spec.kind) {
      case QualityRuleSpec::Kind::ValidRate: {
        double rate = messages ? static_cast<double>(valid) / static_cast<double>(messages) : 1.0;
        judge(rule, messages >= settings_.minSample, rate,
              format("%.2f%%", rate * 100) + " of " + std::to_string(messages) + " messages in the last " + rateWindow +
                  " were valid");
        break;
      }
      case QualityRuleSpec::Kind::NullRate: {
        uint64_t counted = rule.counted.total(nowMicros), nulls = rule.nulls.total(nowMicros);
        double rate = counted ? static_cast<double>(nulls) / static_cast<double>(counted) : 0.0;
        judge(rule, counted >= settings_.minSample, rate,
              format("%.2f%%", rate * 100) + " of " + std::to_string(counted) + " valid messages in the last " +
                  rateWindow + " had no value");
        break;
      }
      case QualityRuleSpec::Kind::Volume: {
        uint64_t count = rule.counted.total(nowMicros);
        // An upper bound can be judged at once; a lower bound (or an exact
        // count) once the gate has watched a whole window.
        bool upper = rule.spec.op == QualityRuleSpec::Op::Lt || rule.spec.op == QualityRuleSpec::Op::Le;
        bool known = upper || nowMicros - start_ >= rule.spec.windowMicros;
        judge(rule, known, static_cast<double>(count),
              std::to_string(count) + " messages in the last " +
                  format("%.0f s", static_cast<double>(rule.spec.windowMicros) / kSecond));
        break;
      }
      case QualityRuleSpec::Kind::Unique: {
        uint64_t repeated = rule.duplicates.total(nowMicros);
        judge(rule, true, static_cast<double>(repeated),
              "values repeated: " + std::to_string(repeated) + " in the last " +
                  format("%.0f s", static_cast<double>(rule.spec.windowMicros) / kSecond) +
                  (rule.unique.truncated() ? " (window cut short: more values than --unique-capacity)" : ""));
        break;
      }
    }
  }
  if (freshness_ > 0 && newestEvent_ > 0) {
    double lag = static_cast<double>(nowMicros - newestEvent_) / kSecond;
    lag_->Set(lag);
    bool ok = nowMicros - newestEvent_ <= freshness_;
    std::string shown = "the newest event is " + format("%.1f s", lag) + " old (freshness " +
                        format("%.0f s", static_cast<double>(freshness_) / kSecond) + ")";
    if (!ok && !freshnessBreached_) {
      slaBreaches_->Increment();
      log_("SLA: " + product_ + ": freshness is broken: " + shown);
    } else if (ok && freshnessBreached_) {
      log_("SLA: " + product_ + ": freshness holds again: " + shown);
    }
    freshnessBreached_ = !ok;
    slaBreached_->Set(ok ? 0 : 1);
  }
}

}  // namespace meshrt
