// Output: buffering, writing and comparing generated trees.
#include "codegen/Output.h"

#include <fmt/format.h>
#include <openssl/evp.h>
#include <pthread.h>

#include <algorithm>
#include <atomic>
#include <cstring>
#include <exception>
#include <filesystem>
#include <fstream>
#include <set>
#include <unordered_map>

namespace mesh::codegen {
namespace fs = std::filesystem;

void generateCpp(const GeneratorContext&, OutputTree&, DiagnosticEngine&);
void generateJsonSchema(const GeneratorContext&, OutputTree&, DiagnosticEngine&);
void generateManifest(const GeneratorContext&, OutputTree&, DiagnosticEngine&);
void generateDocs(const GeneratorContext&, OutputTree&, DiagnosticEngine&);

const std::vector<Target>& targets() {
  static const std::vector<Target> all = {
      {"cpp", &generateCpp},
      {"manifest", &generateManifest},
      {"jsonschema", &generateJsonSchema},
      {"docs", &generateDocs, false},
  };
  return all;
}

void parallelFor(size_t count, unsigned jobs, const std::function<void(size_t)>& body) {
  size_t threads = std::min<size_t>(std::max(1u, jobs), count);
  if (threads <= 1) {
    for (size_t i = 0; i < count; ++i) body(i);
    return;
  }
  std::atomic<size_t> next{0};
  std::atomic<bool> failed{false};
  std::exception_ptr error;
  std::mutex errorMutex;
  auto work = [&] {
    for (size_t i; !failed && (i = next++) < count;) {
      try {
        body(i);
      } catch (...) {
        std::lock_guard<std::mutex> lock(errorMutex);
        if (!error) error = std::current_exception();
        failed = true;
      }
    }
  };
  // Generators recurse over the model (nested records, expressions up to
  // the parser's depth cap) like the thread meshc compiles on, so workers
  // get as large a stack (reserved, not committed). If a thread cannot be
  // created, the ones that were (and this one) do the work.
  std::vector<pthread_t> pool;
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setstacksize(&attr, size_t(512) << 20);
  auto entry = [](void* arg) -> void* {
    (*static_cast<decltype(work)*>(arg))();
    return nullptr;
  };
  for (size_t t = 1; t < threads; ++t) {
    pthread_t thread;
    if (pthread_create(&thread, &attr, entry, &work) != 0) break;
    pool.push_back(thread);
  }
  pthread_attr_destroy(&attr);
  work();
  for (pthread_t t : pool) pthread_join(t, nullptr);
  if (error) std::rethrow_exception(error);
}

struct GeneratorContext::Index {
  std::once_flag once;
  std::unordered_map<std::string, PackageIndex> packages;
  std::vector<std::string> inputs;
  std::unordered_map<const model::Product*, std::vector<const model::PolicyOutcome*>> outcomes;
};

GeneratorContext::GeneratorContext(const model::Build& build, const SourceManager& sources, std::string toolVersion,
                                   unsigned jobs)
    : build(build),
      sources(sources),
      toolVersion(std::move(toolVersion)),
      jobs(jobs),
      index_(std::make_shared<Index>()) {}

const GeneratorContext::Index& GeneratorContext::index() const {
  std::call_once(index_->once, [&] {
    auto& packages = index_->packages;
    for (const auto& p : build.packages) {
      PackageIndex& entry = packages[p.name];
      entry.input = entry.input || p.input;
      for (uint32_t f : p.files) entry.sources.push_back(sources.name(f));
    }
    for (auto& [name, entry] : packages) {
      std::sort(entry.sources.begin(), entry.sources.end());
      entry.sources.erase(std::unique(entry.sources.begin(), entry.sources.end()), entry.sources.end());
      if (entry.input) index_->inputs.push_back(name);
    }
    std::sort(index_->inputs.begin(), index_->inputs.end());
    for (const auto& r : build.records) packages[r->package].records.push_back(r.get());
    for (const auto& e : build.enums) packages[e->package].enums.push_back(e.get());
    for (const auto& p : build.products)
      if (p->schema) packages[p->package].products.push_back(p.get());
    for (const auto& o : build.policyOutcomes)
      if (o.product) index_->outcomes[o.product].push_back(&o);
  });
  return *index_;
}

const PackageIndex& GeneratorContext::package(const std::string& name) const {
  static const PackageIndex none;
  const auto& packages = index().packages;
  auto found = packages.find(name);
  return found == packages.end() ? none : found->second;
}

const std::vector<std::string>& GeneratorContext::inputPackages() const { return index().inputs; }

const std::vector<const model::PolicyOutcome*>& GeneratorContext::policyOutcomesOf(
    const model::Product& product) const {
  static const std::vector<const model::PolicyOutcome*> none;
  const auto& outcomes = index().outcomes;
  auto found = outcomes.find(&product);
  return found == outcomes.end() ? none : found->second;
}

std::vector<std::string> GeneratorContext::sourcesOf(const std::string& package) const {
  return this->package(package).sources;
}

std::vector<std::string> GeneratorContext::inputSources() const {
  std::vector<std::string> out;
  for (const auto& name : inputPackages()) {
    const auto& files = package(name).sources;
    out.insert(out.end(), files.begin(), files.end());
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

std::string GeneratorContext::stamp(const std::string& prefix, const std::vector<std::string>& files) const {
  std::string out = fmt::format("{}Generated by meshc {}. DO NOT EDIT.\n", prefix, toolVersion);
  if (files.empty()) return out;
  out += fmt::format("{}Source:", prefix);
  // Paths are user text: no line break may end the comment early.
  for (const auto& f : files) {
    std::string clean = f;
    for (char& c : clean)
      if (c == '\n' || c == '\r') c = ' ';
    out += " " + clean;
  }
  out += "\n";
  return out;
}

namespace {
// A canonical text of a record's shape (names, types, optionality,
// constraints, closedness, nested records). Its hash is shared by the cpp
// target (the `mesh-schema` header) and the manifest target (DataHub's schema
// hash), so the two always agree.
void describeRecord(const model::Record& r, std::string& out, std::set<const model::Record*>& seen) {
  if (!seen.insert(&r).second) {
    out += "ref " + r.qualifiedName + ";";
    return;
  }
  out += "record " + r.qualifiedName + (r.closed ? " closed" : "") + " {";
  for (const auto& f : r.fields) {
    out += f->name + ":" + f->type->str() + (f->constraintText.empty() ? "" : " where " + f->constraintText) + ";";
    const model::Type* t = f->type;
    while (t->kind == model::TypeKind::List || t->kind == model::TypeKind::Map) t = t->element;
    if (t->kind == model::TypeKind::Record) describeRecord(*t->record, out, seen);
    if (t->refinement && t->refinement->constraint)
      out += "refinement " + t->refinement->qualifiedName + " " + t->refinement->constraintText + ";";
  }
  for (const auto& c : r.checks) out += "check " + c.name + ":" + c.text + ";";
  out += "}";
}
}  // namespace

std::string schemaFingerprint(const model::Record& r) {
  std::string text;
  std::set<const model::Record*> seen;
  describeRecord(r, text, seen);
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_Digest(text.data(), text.size(), digest, &length, EVP_sha256(), nullptr);
  std::string hex;
  for (unsigned int i = 0; i < length; ++i) hex += fmt::format("{:02x}", digest[i]);
  return hex;
}

namespace {
// A file meshc wrote: it carries the stamp near its start. Only those count
// as "extra" in OUT/<target>/, and only those does a build remove; a file a
// user put there is left alone.
bool generatedByMeshc(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  char head[512] = {};
  in.read(head, sizeof head);
  return std::string_view(head, static_cast<size_t>(in.gcount())).find("Generated by meshc") != std::string_view::npos;
}

// What a file at `p` holds compared with `content`: Missing (no readable
// file), Different, or Same. Sizes first, so a changed file of another
// length is not read; otherwise compared a block at a time.
enum class Existing { Missing, Different, Same };

Existing compareFile(const fs::path& p, std::string_view content) {
  std::ifstream in(p, std::ios::binary | std::ios::ate);
  if (!in) return Existing::Missing;
  auto size = in.tellg();
  if (size < 0) return Existing::Missing;
  if (static_cast<size_t>(size) != content.size()) return Existing::Different;
  in.seekg(0);
  char block[1 << 16];
  size_t at = 0;
  while (at < content.size()) {
    size_t n = std::min(sizeof block, content.size() - at);
    if (!in.read(block, static_cast<std::streamsize>(n))) return Existing::Different;
    if (std::memcmp(block, content.data() + at, n) != 0) return Existing::Different;
    at += n;
  }
  return Existing::Same;
}

// Files meshc generated under OUT/<target>/ that the tree does not hold.
std::vector<std::string> extraFiles(const OutputTree& tree, const std::string& outDir,
                                    const std::vector<std::string>& targetNames) {
  std::vector<std::string> out;
  for (const auto& target : targetNames) {
    fs::path dir = fs::path(outDir) / target;
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) continue;
    for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::recursive_directory_iterator();
         it.increment(ec)) {
      if (!it->is_regular_file(ec)) continue;
      std::string rel = fs::relative(it->path(), outDir, ec).generic_string();
      if (!tree.files().count(rel) && generatedByMeshc(it->path())) out.push_back(rel);
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<std::pair<const std::string*, const std::string*>> entries(const OutputTree& tree) {
  std::vector<std::pair<const std::string*, const std::string*>> out;
  out.reserve(tree.files().size());
  for (const auto& [rel, content] : tree.files()) out.emplace_back(&rel, &content);
  return out;
}
}  // namespace

void removeExtraFiles(const OutputTree& tree, const std::string& outDir, const std::vector<std::string>& targetNames) {
  for (const auto& rel : extraFiles(tree, outDir, targetNames)) {
    std::error_code ec;
    fs::remove(fs::path(outDir) / rel, ec);
  }
}

bool writeTree(const OutputTree& tree, const std::string& outDir, std::string& error, unsigned jobs, size_t* written) {
  // Directories first, once each, on this thread (no two threads race to
  // create the same parent).
  std::set<fs::path> dirs;
  for (const auto& [rel, content] : tree.files()) dirs.insert((fs::path(outDir) / rel).parent_path());
  for (const auto& dir : dirs) {
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec) {
      error = fmt::format("cannot create '{}': {}", dir.string(), ec.message());
      return false;
    }
  }
  auto files = entries(tree);
  std::mutex errorMutex;
  std::atomic<size_t> count{0};
  auto fail = [&](std::string message) {
    std::lock_guard<std::mutex> lock(errorMutex);
    if (error.empty()) error = std::move(message);
  };
  parallelFor(files.size(), jobs, [&](size_t i) {
    const std::string& content = *files[i].second;
    fs::path path = fs::path(outDir) / *files[i].first;
    if (compareFile(path, content) == Existing::Same) return;
    // Write to a temporary and rename, so a reader never sees half a file.
    fs::path tmp = path;
    tmp += ".tmp";
    {
      std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
      out.write(content.data(), static_cast<std::streamsize>(content.size()));
      if (!out) {
        fail(fmt::format("cannot write '{}'", tmp.string()));
        return;
      }
    }
    std::error_code ec;
    fs::rename(tmp, path, ec);
    if (ec) {
      fail(fmt::format("cannot write '{}': {}", path.string(), ec.message()));
      return;
    }
    ++count;
  });
  if (written) *written = count;
  return error.empty();
}

std::vector<std::string> compareTree(const OutputTree& tree, const std::string& outDir,
                                     const std::vector<std::string>& targetNames, unsigned jobs) {
  auto files = entries(tree);
  std::vector<Existing> state(files.size());
  parallelFor(files.size(), jobs,
              [&](size_t i) { state[i] = compareFile(fs::path(outDir) / *files[i].first, *files[i].second); });
  std::vector<std::string> out;
  for (size_t i = 0; i < files.size(); ++i) {
    if (state[i] == Existing::Missing)
      out.push_back("missing " + *files[i].first);
    else if (state[i] == Existing::Different)
      out.push_back("stale " + *files[i].first);
  }
  for (const auto& rel : extraFiles(tree, outDir, targetNames)) out.push_back("extra " + rel);
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace mesh::codegen
