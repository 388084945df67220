// Builder: product and policy declarations (see Builder.h). Each block of
// keyword-led items (product, topic, sla, quality, access, policy) is a small
// visitor filling its part of the AST, one visit per kind of item; a setting
// given twice is reported once (E0010) and the first one kept.
#include <fmt/format.h>

#include "syntax/Builder.h"

namespace mesh::syntax {
namespace {

using antlr4::ParserRuleContext;

/// A block's items: an item the parser could not label (after a syntax
/// error) visits nothing.
class ItemVisitor : public grammar::MeshBaseVisitor {
 public:
  explicit ItemVisitor(Builder& b) : b_(b) {}
  antlrcpp::Any visitChildren(antlr4::tree::ParseTree*) override { return {}; }

  template <typename Item>
  void visitAll(const std::vector<Item*>& items) {
    for (auto* item : items) item->accept(this);
  }

 protected:
  std::vector<ast::QualifiedName> roleList(MeshParser::RoleListContext* ctx) {
    return ctx ? b_.qnames(ctx->qualifiedName()) : std::vector<ast::QualifiedName>{};
  }

  Builder& b_;
};

ast::CompareOp compareOp(MeshParser::CompareOpContext* ctx) {
  std::string op = ctx ? ctx->getText() : ">=";
  if (op == "<") return ast::CompareOp::Lt;
  if (op == "<=") return ast::CompareOp::Le;
  if (op == ">") return ast::CompareOp::Gt;
  if (op == "==") return ast::CompareOp::Eq;
  if (op == "!=") return ast::CompareOp::Ne;
  return ast::CompareOp::Ge;
}

class TopicItems : public ItemVisitor {
 public:
  TopicItems(Builder& b, ast::Topic& topic) : ItemVisitor(b), topic_(topic) {}

  antlrcpp::Any visitTopicKey(MeshParser::TopicKeyContext* ctx) override {
    if (b_.once(topic_.key, "key", ctx)) topic_.key = b_.fieldPath(ctx->fieldPath());
    return {};
  }
  antlrcpp::Any visitTopicPartitions(MeshParser::TopicPartitionsContext* ctx) override {
    if (b_.once(topic_.partitions, "partitions", ctx)) topic_.partitions = b_.intValue(ctx->INT());
    return {};
  }
  antlrcpp::Any visitTopicReplication(MeshParser::TopicReplicationContext* ctx) override {
    if (b_.once(topic_.replication, "replication", ctx)) topic_.replication = b_.intValue(ctx->INT());
    return {};
  }
  antlrcpp::Any visitTopicFormat(MeshParser::TopicFormatContext* ctx) override {
    if (b_.once(topic_.format, "format", ctx)) topic_.format = b_.ident(ctx->ident());
    return {};
  }

 private:
  ast::Topic& topic_;
};

class SlaItems : public ItemVisitor {
 public:
  SlaItems(Builder& b, ast::Sla& sla) : ItemVisitor(b), sla_(sla) {}

  antlrcpp::Any visitSlaFreshness(MeshParser::SlaFreshnessContext* ctx) override {
    if (b_.once(sla_.freshnessMicros, "freshness", ctx)) sla_.freshnessMicros = b_.durationValue(ctx->DURATION());
    return {};
  }
  antlrcpp::Any visitSlaAvailability(MeshParser::SlaAvailabilityContext* ctx) override {
    if (b_.once(sla_.availabilityPercent, "availability", ctx))
      sla_.availabilityPercent = b_.percentValue(ctx->PERCENT());
    return {};
  }
  antlrcpp::Any visitSlaThroughput(MeshParser::SlaThroughputContext* ctx) override {
    if (!b_.once(sla_.throughputPerSecond, "throughput", ctx)) return {};
    sla_.throughputPerSecond = b_.rateValue(ctx->RATE());
    if (ctx->RATE()) sla_.throughputText = ctx->RATE()->getText();
    return {};
  }
  antlrcpp::Any visitSlaLatency(MeshParser::SlaLatencyContext* ctx) override {
    if (!b_.once(sla_.latencyMicros, "latency", ctx)) return {};
    sla_.latencyPercentile = b_.ident(ctx->percentile);
    sla_.latencyMicros = b_.durationValue(ctx->DURATION());
    return {};
  }

 private:
  ast::Sla& sla_;
};

/// Quality rules: a rule with a missing part is left out.
class QualityItems : public ItemVisitor {
 public:
  QualityItems(Builder& b, std::vector<ast::QualityRule>& rules) : ItemVisitor(b), rules_(rules) {}

  antlrcpp::Any visitQualityUnique(MeshParser::QualityUniqueContext* ctx) override {
    ast::QualityRule rule = start(ctx, ast::QualityRule::Kind::Unique);
    rule.field = b_.fieldPath(ctx->fieldPath());
    auto window = b_.durationValue(ctx->DURATION());
    if (!rule.field || !window) return {};
    setWindow(rule, *window);
    rules_.push_back(std::move(rule));
    return {};
  }
  antlrcpp::Any visitQualityNullRate(MeshParser::QualityNullRateContext* ctx) override {
    ast::QualityRule rule = start(ctx, ast::QualityRule::Kind::NullRate);
    rule.field = b_.fieldPath(ctx->fieldPath());
    rule.op = compareOp(ctx->compareOp());
    auto pct = b_.percentValue(ctx->PERCENT());
    if (!rule.field || !pct) return {};
    setThreshold(rule, pct->value, pct->range);
    rules_.push_back(std::move(rule));
    return {};
  }
  antlrcpp::Any visitQualityVolume(MeshParser::QualityVolumeContext* ctx) override {
    ast::QualityRule rule = start(ctx, ast::QualityRule::Kind::Volume);
    rule.op = compareOp(ctx->compareOp());
    auto count = b_.intValue(ctx->INT());
    auto window = b_.durationValue(ctx->DURATION());
    if (!count || !window) return {};
    setThreshold(rule, static_cast<double>(count->value), count->range);
    setWindow(rule, *window);
    rules_.push_back(std::move(rule));
    return {};
  }
  antlrcpp::Any visitQualityValidRate(MeshParser::QualityValidRateContext* ctx) override {
    ast::QualityRule rule = start(ctx, ast::QualityRule::Kind::ValidRate);
    rule.op = compareOp(ctx->compareOp());
    auto pct = b_.percentValue(ctx->PERCENT());
    if (!pct) return {};
    setThreshold(rule, pct->value, pct->range);
    rules_.push_back(std::move(rule));
    return {};
  }

 private:
  ast::QualityRule start(ParserRuleContext* ctx, ast::QualityRule::Kind kind) {
    ast::QualityRule rule{};
    rule.range = b_.rangeOf(ctx);
    rule.kind = kind;
    return rule;
  }
  static void setThreshold(ast::QualityRule& rule, double value, SourceRange range) {
    rule.threshold = value;
    rule.thresholdRange = range;
  }
  static void setWindow(ast::QualityRule& rule, const ast::Located<int64_t>& window) {
    rule.windowMicros = window.value;
    rule.windowRange = window.range;
  }

  std::vector<ast::QualityRule>& rules_;
};

class AccessItems : public ItemVisitor {
 public:
  AccessItems(Builder& b, ast::Access& access) : ItemVisitor(b), access_(access) {}

  antlrcpp::Any visitAccessReaders(MeshParser::AccessReadersContext* ctx) override {
    if (!b_.once(access_.readers, "readers", ctx, access_.readersRange)) return {};
    access_.readers = roleList(ctx->roleList());
    access_.readersRange = b_.rangeOf(ctx);
    return {};
  }
  antlrcpp::Any visitAccessWriters(MeshParser::AccessWritersContext* ctx) override {
    if (!b_.once(access_.writers, "writers", ctx, access_.writersRange)) return {};
    access_.writers = roleList(ctx->roleList());
    access_.writersRange = b_.rangeOf(ctx);
    return {};
  }
  antlrcpp::Any visitAccessMask(MeshParser::AccessMaskContext* ctx) override {
    auto path = b_.fieldPath(ctx->fieldPath());
    auto* method = ctx->maskMethod();
    auto methodName = method ? b_.ident(method->name) : std::nullopt;
    if (!path || !methodName) return {};
    ast::Mask mask{std::move(*path), roleList(ctx->roleList()), std::move(*methodName), std::nullopt, b_.rangeOf(ctx)};
    if (method->INT()) mask.argument = b_.intValue(method->INT());
    access_.masks.push_back(std::move(mask));
    return {};
  }

 private:
  ast::Access& access_;
};

class ProductItems : public ItemVisitor {
 public:
  ProductItems(Builder& b, ast::ProductDecl& p) : ItemVisitor(b), p_(p) {}

  antlrcpp::Any visitProductDomain(MeshParser::ProductDomainContext* ctx) override {
    if (b_.once(p_.domain, "domain", ctx)) p_.domain = b_.qname(ctx->qualifiedName());
    return {};
  }
  antlrcpp::Any visitProductVersion(MeshParser::ProductVersionContext* ctx) override {
    if (b_.once(p_.version, "version", ctx) && ctx->STRING()) p_.version = b_.located(ctx->STRING());
    return {};
  }
  antlrcpp::Any visitProductSchema(MeshParser::ProductSchemaContext* ctx) override {
    if (b_.once(p_.schema, "schema", ctx)) p_.schema = b_.qname(ctx->qualifiedName());
    return {};
  }
  antlrcpp::Any visitProductRetention(MeshParser::ProductRetentionContext* ctx) override {
    if (b_.once(p_.retentionMicros, "retention", ctx)) p_.retentionMicros = b_.durationValue(ctx->DURATION());
    return {};
  }
  antlrcpp::Any visitProductCompatibility(MeshParser::ProductCompatibilityContext* ctx) override {
    if (b_.once(p_.compatibility, "compatibility", ctx)) p_.compatibility = b_.ident(ctx->ident());
    return {};
  }
  antlrcpp::Any visitProductUpstream(MeshParser::ProductUpstreamContext* ctx) override {
    if (!b_.once(p_.upstream, "upstream", ctx, p_.upstreamRange)) return {};
    p_.upstream = b_.qnames(ctx->qualifiedName());
    p_.upstreamRange = b_.rangeOf(ctx);
    return {};
  }

  antlrcpp::Any visitProductTopic(MeshParser::ProductTopicContext* ctx) override {
    if (!b_.once(p_.topic, "topic", ctx)) return {};
    auto name = b_.located(ctx->STRING());
    if (!name) return {};
    ast::Topic topic;
    topic.name = std::move(*name);
    topic.range = b_.rangeOf(ctx);
    TopicItems(b_, topic).visitAll(ctx->topicItem());
    p_.topic = std::move(topic);
    return {};
  }
  antlrcpp::Any visitProductSla(MeshParser::ProductSlaContext* ctx) override {
    if (!b_.once(p_.sla, "sla", ctx)) return {};
    ast::Sla sla;
    sla.range = b_.rangeOf(ctx);
    SlaItems(b_, sla).visitAll(ctx->slaItem());
    p_.sla = std::move(sla);
    return {};
  }
  antlrcpp::Any visitProductQuality(MeshParser::ProductQualityContext* ctx) override {
    if (!b_.once(p_.quality, "quality", ctx, p_.qualityRange)) return {};
    p_.qualityRange = b_.rangeOf(ctx);
    std::vector<ast::QualityRule> rules;
    QualityItems(b_, rules).visitAll(ctx->qualityItem());
    p_.quality = std::move(rules);
    return {};
  }
  antlrcpp::Any visitProductAccess(MeshParser::ProductAccessContext* ctx) override {
    if (!b_.once(p_.access, "access", ctx)) return {};
    ast::Access access;
    access.range = b_.rangeOf(ctx);
    AccessItems(b_, access).visitAll(ctx->accessItem());
    p_.access = std::move(access);
    return {};
  }

 private:
  ast::ProductDecl& p_;
};

class PolicyItems : public ItemVisitor {
 public:
  PolicyItems(Builder& b, ast::PolicyDecl& p) : ItemVisitor(b), p_(p) {}

  antlrcpp::Any visitPolicySeverity(MeshParser::PolicySeverityContext* ctx) override {
    if (b_.once(p_.severity, "severity", ctx)) p_.severity = b_.ident(ctx->level);
    return {};
  }

  // A rule with a binder missing its kind or name is left out.
  antlrcpp::Any visitPolicyFor(MeshParser::PolicyForContext* ctx) override {
    ast::ForRule rule;
    rule.range = b_.rangeOf(ctx);
    bool complete = true;
    for (auto* binder : ctx->binder()) {
      auto kind = b_.ident(binder->kind);
      auto name = b_.ident(binder->name);
      if (!kind || !name) {
        complete = false;
        continue;
      }
      rule.binders.push_back(
          {std::move(*kind), std::move(*name), binder->source ? b_.expr(binder->source) : nullptr, b_.rangeOf(binder)});
    }
    if (!complete || rule.binders.empty()) return {};
    if (ctx->filter) rule.filter = b_.expr(ctx->filter);
    for (auto* r : ctx->requireStmt()) {
      ast::Require req{b_.expr(r->expr()), std::nullopt, b_.rangeOf(r)};
      if (r->STRING()) req.message = b_.located(r->STRING());
      rule.requires_.push_back(std::move(req));
    }
    p_.rules.push_back(std::move(rule));
    return {};
  }

 private:
  ast::PolicyDecl& p_;
};

}  // namespace

antlrcpp::Any Builder::visitProductDecl(MeshParser::ProductDeclContext* ctx) {
  ast::ProductDecl product;
  ProductItems(*this, product).visitAll(ctx->productItem());
  return NamedBody{ident(ctx->name), std::move(product)};
}

antlrcpp::Any Builder::visitPolicyDecl(MeshParser::PolicyDeclContext* ctx) {
  ast::PolicyDecl policy;
  PolicyItems(*this, policy).visitAll(ctx->policyItem());
  return NamedBody{ident(ctx->name), std::move(policy)};
}

}  // namespace mesh::syntax
