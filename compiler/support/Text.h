// Text: user text made safe to print on a terminal.
#pragma once

#include <string>
#include <string_view>

namespace mesh {

/// `text` with every control character (C0, DEL and C1, except tab) written
/// as a Mesh string escape: `\n`, `\r`, `\u{1B}`. Text from contracts, the
/// command line or the environment goes through it before it reaches a
/// terminal, where ESC, BS or CR would rewrite what the user sees. Invalid
/// UTF-8 is passed through unchanged.
std::string escapeControlCharacters(std::string_view text);

/// The same for text of several lines: its line feeds stay.
std::string escapeControlCharactersInLines(std::string_view text);

}  // namespace mesh
