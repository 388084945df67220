// Serialize: one file's AST as bytes and back, for the incremental cache of
// `meshc check` and `meshc build`: a file whose text did not change is read
// back instead of parsed again. The encoding is walked through the member
// lists of ast/Members.h, so it follows the AST without code of its own.
//
// The encoding: one byte, kAstFormatVersion, then the File's members in
// order, depth first, but its file id (readFile is given one). Unsigned
// numbers and enums are LEB128 varints, signed ones zigzag varints, a double
// the varint of its 8 bytes in reverse order (a round number is short), a
// bool and the presence of an optional or a unique_ptr one byte (0 or 1); a
// string or a vector is its length then its bytes or elements; a variant its
// index then its alternative. A SourceRange is a varint whose low bit is set
// for a valid range (file != 0), the rest its begin (zigzag, relative to the
// begin of the valid range before it; absolute for an invalid range), then
// end - begin (zigzag). It holds no file id: every range of a File is in
// that file (the parser builds none elsewhere).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "ast/AST.h"

namespace mesh::ast {

/// The first byte of every encoding. Bumped whenever the encoding changes,
/// which any change to a struct of AST.h does (the size checks of
/// ast/Members.h say so): readFile refuses any other.
inline constexpr uint8_t kAstFormatVersion = 2;

/// The deepest nesting of AST structs readFile accepts (the File's package,
/// imports and declarations are at depth 1, a declaration's members at 2,
/// ...): more than the parser ever builds (expressions are cut at
/// syntax::kMaxExprDepth levels, type expressions at syntax::kMaxNesting
/// brackets, below a few levels of declarations; syntax/BuildExprs.cpp
/// checks it), so that every parse reads back and no input runs the
/// decoder's recursion deeper.
inline constexpr int kMaxReadDepth = 1100;

/// Appends the encoding of `file` to `out`.
void writeFile(const File& file, std::string& out);

/// Decodes an encoding written by writeFile, exactly all of `in`, into `out`,
/// with `fileId` as the file id of the File and of every valid range (the
/// one stored is ignored). Returns false, with `out` untouched, when `in` is
/// not such an encoding: another version, truncated, trailing bytes, a value
/// out of its type's range, nesting deeper than kMaxReadDepth. Any input is
/// safe: no length is trusted beyond the bytes that remain, and memory grows
/// only with the elements really read (a forged length allocates nothing).
/// Bytes that decode are not checked for what the parser would never build
/// (a binary expression without its two operands, say): protect stored
/// encodings against corruption with a checksum around them.
bool readFile(std::string_view in, uint32_t fileId, File& out);

}  // namespace mesh::ast
