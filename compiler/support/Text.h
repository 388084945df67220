// Text: user text made safe to print on a terminal. One implementation, in
// meshrt, for meshc and the programs generated with it.
#pragma once

#include "meshrt/report.h"

namespace mesh {

using meshrt::escapeControlCharacters;
using meshrt::escapeControlCharactersInLines;

}  // namespace mesh
