// Incremental: check only what an edit can change (see Incremental.h).
#include "compilation/Incremental.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <optional>
#include <tuple>
#include <utility>

#include "check/References.h"
#include "support/Bytes.h"

namespace mesh::compilation {

// A diagnostic as kept between runs: files by name, as the SourceManager
// names them, so the next run's file ids can be found.
struct Place {
  std::string file;  // "" for none
  uint32_t begin = 0, end = 0;
};
struct KeptNote {
  std::string message;
  Place at;
};
struct Kept {
  DiagKind kind{};
  uint64_t severity = 0;
  Place at;
  std::string message;
  std::vector<KeptNote> notes;
};

struct CheckState {
  bool policies = false;  // the policies were evaluated (the check had no error)
  std::map<std::string, std::pair<std::string, std::string>> files;  // name -> package, digest
  std::map<std::string, std::vector<Kept>> checks, findings;         // by the package they belong to
};

namespace {

constexpr std::string_view kMagic = "meshc check state 1";

// ---- the encoding

void writePlace(ByteWriter& w, const Place& p) {
  w.bytes(p.file);
  w.u64(p.begin);
  w.u64(p.end);
}

Place readPlace(ByteReader& r) {
  Place p;
  p.file = r.bytes();
  p.begin = uint32_t(r.u64());
  p.end = uint32_t(r.u64());
  return p;
}

void writeKept(ByteWriter& w, const std::map<std::string, std::vector<Kept>>& byPackage) {
  w.u64(byPackage.size());
  for (const auto& [package, list] : byPackage) {
    w.bytes(package);
    w.u64(list.size());
    for (const Kept& k : list) {
      w.bytes(info(k.kind).code);
      w.u64(k.severity);
      writePlace(w, k.at);
      w.bytes(k.message);
      w.u64(k.notes.size());
      for (const KeptNote& n : k.notes) {
        w.bytes(n.message);
        writePlace(w, n.at);
      }
    }
  }
}

void readKept(ByteReader& r, std::map<std::string, std::vector<Kept>>& byPackage) {
  for (uint64_t n = r.count(); r.ok() && n > 0; --n) {
    auto& list = byPackage[std::string(r.bytes())];
    list.resize(r.count());
    for (Kept& k : list) {
      std::optional<DiagKind> kind = diagKindFromCode(r.bytes());
      k.kind = kind.value_or(DiagKind{});
      k.severity = r.u64();
      k.at = readPlace(r);
      k.message = r.bytes();
      k.notes.resize(r.count());
      for (KeptNote& note : k.notes) {
        note.message = r.bytes();
        note.at = readPlace(r);
      }
      if (!kind || k.severity > uint64_t(Severity::Note)) r.refuse();
    }
  }
}

std::string encode(const CheckState& state) {
  std::string out;
  ByteWriter w(out);
  w.bytes(kMagic);
  w.boolean(state.policies);
  w.u64(state.files.size());
  for (const auto& [name, packageAndDigest] : state.files) {
    w.bytes(name);
    w.bytes(packageAndDigest.first);
    w.bytes(packageAndDigest.second);
  }
  writeKept(w, state.checks);
  writeKept(w, state.findings);
  return out;
}

bool decode(std::string_view in, CheckState& state) {
  ByteReader r(in);
  if (r.bytes() != kMagic) return false;
  state.policies = r.boolean();
  for (uint64_t n = r.count(); r.ok() && n > 0; --n) {
    std::string name(r.bytes()), package(r.bytes());
    state.files[name] = {package, std::string(r.bytes())};
  }
  readKept(r, state.checks);
  readKept(r, state.findings);
  return r.atEnd();
}

// ---- diagnostics to and from what is kept

Place placeOf(const SourceManager& sources, SourceRange r) {
  return r.valid() ? Place{sources.name(r.file), r.begin, r.end} : Place{};
}

Kept keep(const SourceManager& sources, const Diagnostic& d) {
  Kept k{d.kind, uint64_t(d.severity), placeOf(sources, d.range), d.message, {}};
  for (const DiagNote& n : d.notes) k.notes.push_back({n.message, placeOf(sources, n.range)});
  return k;
}

// The file of each file id (null for one the load did not parse).
std::vector<const ast::File*> filesById(const check::Workspace& ws) {
  std::vector<const ast::File*> out(ws.sources.fileCount() + 1);
  for (const auto& f : ws.files)
    if (f.fileId < out.size()) out[f.fileId] = &f;
  return out;
}

// What a checker's diagnostic belongs to: the node of its place
// (check::References::nodeAt), "" for none.
std::string ownerOf(const std::vector<const ast::File*>& byFile, const Diagnostic& d) {
  if (!d.range.valid() || d.range.file >= byFile.size() || !byFile[d.range.file]) return "";
  return check::References::nodeAt(*byFile[d.range.file], d.range);
}

// Rebuilds kept diagnostics in this run's files; false when one points into
// a file that changed or that this run does not have.
class Restorer {
 public:
  Restorer(const check::Workspace& ws, const std::set<std::string>& changedFiles)
      : sources_(ws.sources), changed_(changedFiles) {
    for (unsigned f = 1; f <= ws.sources.fileCount(); ++f) ids_[ws.sources.name(f)] = f;
  }
  bool operator()(const Kept& k, Diagnostic& out) const {
    out = {k.kind, Severity(k.severity), {}, k.message, {}};
    if (!range(k.at, out.range)) return false;
    for (const KeptNote& n : k.notes) {
      out.notes.push_back({n.message, {}});
      if (!range(n.at, out.notes.back().range)) return false;
    }
    return true;
  }

 private:
  bool range(const Place& p, SourceRange& out) const {
    if (p.file.empty()) return true;
    auto it = ids_.find(p.file);
    if (it == ids_.end() || changed_.count(p.file)) return false;
    if (p.begin > p.end || p.end > sources_.text(it->second).size()) return false;  // not this text's
    out = {it->second, p.begin, p.end};
    return true;
  }
  const SourceManager& sources_;
  std::map<std::string, uint32_t> ids_;
  const std::set<std::string>& changed_;
};

// Whether each place holds diagnostics of one package only: a whole check
// orders the diagnostics at one place as it reported them, which a merge of
// two packages' cannot tell.
bool onePackagePerPlace(const SourceManager& sources,
                        const std::vector<std::pair<const Diagnostic*, std::string>>& all) {
  std::vector<std::tuple<std::string_view, uint32_t, uint32_t, std::string_view>> places;
  places.reserve(all.size());
  for (const auto& [d, owner] : all)
    places.emplace_back(d->range.valid() ? std::string_view(sources.name(d->range.file)) : "", d->range.begin,
                        d->range.end, owner);
  std::sort(places.begin(), places.end());
  for (size_t i = 1; i < places.size(); ++i)
    if (std::get<0>(places[i]) == std::get<0>(places[i - 1]) && std::get<1>(places[i]) == std::get<1>(places[i - 1]) &&
        std::get<2>(places[i]) == std::get<2>(places[i - 1]) && std::get<3>(places[i]) != std::get<3>(places[i - 1]))
      return false;
  return true;
}

// Appends the kept diagnostics of what `affected` does not hold to `out`,
// each with what it belongs to; false when one cannot be restored.
bool restoreUnaffected(const std::map<std::string, std::vector<Kept>>& byOwner, const std::set<std::string>& affected,
                       const Restorer& restore, std::vector<Diagnostic>& out, std::vector<std::string>& owners) {
  for (const auto& [owner, list] : byOwner) {
    if (affected.count(owner)) continue;
    for (const Kept& k : list) {
      if (!restore(k, out.emplace_back())) return false;
      owners.push_back(owner);
    }
  }
  return true;
}

DiagnosticEngine engineOf(std::vector<Diagnostic>&& list) {
  DiagnosticEngine out;
  for (Diagnostic& d : list) {
    auto b = out.report(d.kind, d.severity, d.range, std::move(d.message));
    for (DiagNote& n : d.notes) b.note(std::move(n.message), n.range);
  }
  return out;
}

}  // namespace

Incremental::Incremental() : previous_(std::make_unique<CheckState>()) {}
Incremental::~Incremental() = default;

std::unique_ptr<Incremental> Incremental::plan(std::string_view previous, const check::Workspace& ws,
                                               const DiagnosticEngine& loadDiags, std::string& why) {
  std::unique_ptr<Incremental> plan(new Incremental);
  CheckState& last = *plan->previous_;
  if (!decode(previous, last)) return why = "the kept check state does not decode", nullptr;
  if (loadDiags.size()) return why = "the load reported problems", nullptr;
  std::set<std::string> lastPackages, seen;
  for (const auto& [name, packageAndDigest] : last.files) lastPackages.insert(packageAndDigest.first);
  check::References references(ws);
  for (const auto& f : ws.files) {
    const std::string& name = ws.sources.name(f.fileId);
    auto it = last.files.find(name);
    if (!f.package || f.fileId > ws.digests.size() || ws.digests[f.fileId - 1].empty() || it == last.files.end())
      return why = "the build has other files", nullptr;
    seen.insert(name);
    if (it->second.second == ws.digests[f.fileId - 1]) continue;
    for (const std::string& package : {it->second.first, f.package->str()}) {
      plan->edited_.insert(package);
      for (std::string& node : references.nodesOf(package)) plan->editedNodes_.insert(std::move(node));
    }
    plan->changedFiles_.insert(name);
  }
  std::set<std::string> packages;
  for (const auto& [name, files] : ws.packages) packages.insert(name);
  if (seen.size() != last.files.size() || packages != lastPackages)
    return why = "the build has other files or packages", nullptr;
  plan->affected_ = references.dependents(plan->editedNodes_);
  if (plan->affected_.size() == references.nodeCount()) return why = "the edit can change every package", nullptr;
  for (const std::string& node : plan->affected_) plan->affectedPackages_.insert(check::References::packageOf(node));
  plan->checked_ = references.closure(plan->affected_);
  return plan;
}

bool Incremental::mergeChecks(DiagnosticEngine& diags, const check::Workspace& ws, std::string& why) const {
  auto byFile = filesById(ws);
  std::vector<Diagnostic> merged;
  std::vector<std::string> owners;
  for (const Diagnostic& d : diags.all()) {
    std::string owner = ownerOf(byFile, d);
    if (owner.empty()) return why = "a diagnostic outside every package", false;
    if (!affected_.count(owner)) continue;
    merged.push_back(d);
    owners.push_back(std::move(owner));
  }
  if (!restoreUnaffected(previous_->checks, affected_, Restorer(ws, changedFiles_), merged, owners))
    return why = "a kept diagnostic points into an edited file or past one", false;
  std::vector<std::pair<const Diagnostic*, std::string>> all;
  for (size_t i = 0; i < merged.size(); ++i) all.emplace_back(&merged[i], owners[i]);
  if (!onePackagePerPlace(ws.sources, all)) return why = "two packages' diagnostics share a place", false;
  diags = engineOf(std::move(merged));
  return true;
}

bool Incremental::mergePolicies(DiagnosticEngine& diags, size_t from, const check::Workspace& ws,
                                std::vector<std::string>& owners, std::string& why) const {
  if (!previous_->policies) return why = "the last check evaluated no policies", false;
  if (from > diags.size() || owners.size() != diags.size() - from) return why = "findings without a product", false;
  auto byFile = filesById(ws);
  std::vector<std::pair<const Diagnostic*, std::string>> all;
  for (size_t i = 0; i < diags.size(); ++i)
    all.emplace_back(&diags.all()[i], i < from ? ownerOf(byFile, diags.all()[i]) : owners[i - from]);
  std::vector<Diagnostic> kept;
  std::vector<std::string> keptOwners;
  if (!restoreUnaffected(previous_->findings, affected_, Restorer(ws, changedFiles_), kept, keptOwners))
    return why = "a kept finding points into an edited file or past one", false;
  for (size_t i = 0; i < kept.size(); ++i) all.emplace_back(&kept[i], keptOwners[i]);
  if (!onePackagePerPlace(ws.sources, all)) return why = "two packages' findings share a place", false;
  DiagnosticEngine more = engineOf(std::move(kept));
  diags.absorb(std::move(more));
  owners.insert(owners.end(), keptOwners.begin(), keptOwners.end());
  return true;
}

std::string Incremental::describe(size_t packageCount) const {
  size_t packageNodes = std::count_if(affected_.begin(), affected_.end(),
                                      [](const std::string& node) { return node.find('#') == std::string::npos; });
  size_t waiversOnly = affectedPackages_.size() - packageNodes;
  return fmt::format("rechecked {} of {} packages ({} edited, {} referring to them{}), reading the {} they refer to",
                     affectedPackages_.size(), packageCount, edited_.size(), affectedPackages_.size() - edited_.size(),
                     waiversOnly ? fmt::format(", of which {} for their waivers only", waiversOnly) : "",
                     checked_.size() - affectedPackages_.size());
}

std::string checkState(const check::Workspace& ws, const DiagnosticEngine& diags, size_t policyFrom,
                       const std::vector<std::string>& policyOwners, bool policiesEvaluated) {
  if (policyFrom > diags.size() || policyOwners.size() != diags.size() - policyFrom) return "";
  CheckState state;
  state.policies = policiesEvaluated;
  for (const auto& f : ws.files) {
    if (!f.package || f.fileId > ws.digests.size() || ws.digests[f.fileId - 1].empty()) return "";
    state.files[ws.sources.name(f.fileId)] = {f.package->str(), ws.digests[f.fileId - 1]};
  }
  auto byFile = filesById(ws);
  for (size_t i = 0; i < diags.size(); ++i) {
    const Diagnostic& d = diags.all()[i];
    std::string owner = i < policyFrom ? ownerOf(byFile, d) : policyOwners[i - policyFrom];
    if (owner.empty()) return "";
    (i < policyFrom ? state.checks : state.findings)[owner].push_back(keep(ws.sources, d));
  }
  return encode(state);
}

}  // namespace mesh::compilation
