// FieldPaths: see FieldPaths.h.
#include "model/FieldPaths.h"

#include <algorithm>
#include <vector>

namespace mesh::model {
namespace {

class Walker {
 public:
  Walker(const std::function<bool(const FieldVisit&)>& visit, int maxDepth) : visit_(visit), maxDepth_(maxDepth) {}

  bool walk(const Record& r, int depth) {
    onPath_.push_back(&r);
    bool go = true;
    for (size_t i = 0; go && i < r.fields.size(); ++i) go = field(*r.fields[i], depth);
    onPath_.pop_back();
    return go;
  }

 private:
  bool field(const Field& f, int depth) {
    size_t textSize = path_.text.size();
    path_.fields.push_back(&f);
    if (!path_.text.empty()) path_.text += '.';
    path_.text += f.name;
    const Type* element = f.type;
    while (element->kind == TypeKind::List || element->kind == TypeKind::Map) {
      path_.text += "[]";
      element = element->element;
    }
    bool isRecord = element->kind == TypeKind::Record;
    bool recursive = isRecord && std::find(onPath_.begin(), onPath_.end(), element->record) != onPath_.end();
    bool entered = isRecord && !recursive && depth < maxDepth_;
    bool go = visit_({path_, f, element, depth, recursive, entered}) && (!entered || walk(*element->record, depth + 1));
    path_.fields.pop_back();
    path_.text.resize(textSize);
    return go;
  }

  const std::function<bool(const FieldVisit&)>& visit_;
  int maxDepth_;
  std::vector<const Record*> onPath_;
  FieldPath path_;
};

}  // namespace

bool forEachFieldPath(const Record& root, const std::function<bool(const FieldVisit&)>& visit,
                      const FieldWalkOptions& options) {
  return Walker(visit, options.maxDepth).walk(root, 0);
}

}  // namespace mesh::model
