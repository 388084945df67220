// Driver: the meshc subcommands over the compiler library.
#pragma once

namespace mesh::driver {

/// Runs meshc with the given command line; returns the process exit code
/// (0 success, 1 errors in the input, 2 usage or environment failure).
int run(int argc, char** argv);

}  // namespace mesh::driver
