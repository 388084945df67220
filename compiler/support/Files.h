// Files: reading a whole file and replacing one through a temporary, as
// meshc's writers do it (the generated tree, the depfile, the cache).
#pragma once

#include <sys/types.h>

#include <string>
#include <string_view>

namespace mesh {

/// Reads up to `size` bytes from `fd` (fewer at the end of the file),
/// retrying when a signal interrupts; -1 when reading fails.
ssize_t readFully(int fd, char* buffer, size_t size);

/// Whether `name` is one of replaceFileAt's temporaries,
/// `.NAME.meshc-PID-N.tmp` (unique per process and file).
bool isTemporaryName(std::string_view name);

/// Writes `content` to `path` (relative to the directory `dir`, or to the
/// working directory with AT_FDCWD) through a fresh temporary beside it,
/// renamed over it: a reader sees the old file or the new one, whole. The
/// temporary is created with O_EXCL|O_NOFOLLOW and `mode` (less the umask),
/// and the rename replaces whatever is at `path` without following it.
/// Returns 0, or the errno of the failure, after removing the temporary.
int replaceFileAt(int dir, const std::string& path, std::string_view content, mode_t mode = 0666);

}  // namespace mesh
