// HoldSignals: the signals that end a run (SIGINT, SIGTERM, SIGHUP, SIGQUIT)
// held while files are written or removed, so that an interrupted write
// leaves no temporary and no half-done tree behind; SIGXFSZ ignored, so a
// file-size limit is a write error (EFBIG) the writer reports and cleans up
// after. Used by OUT's writer (codegen/OutputTree.cpp) and the depfile's
// (driver/Depfile.cpp).
#pragma once

#include <csignal>
#include <iterator>

namespace mesh {

/// While one lives, a held signal is recorded instead of acted on; the last
/// one caught is raised again when it is destroyed (with the handlers the
/// process had restored). A signal the process ignores stays ignored.
class HoldSignals {
 public:
  HoldSignals();
  ~HoldSignals();
  HoldSignals(const HoldSignals&) = delete;
  HoldSignals& operator=(const HoldSignals&) = delete;
  /// A held signal arrived: the writer finishes or undoes the file in hand
  /// and starts no other.
  static bool interrupted();

 private:
  static constexpr int kHeld[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT};
  struct sigaction saved_[std::size(kHeld)] = {};
  struct sigaction savedXfsz_ = {};
};

}  // namespace mesh
