// HoldSignals: see HoldSignals.h.
#include "support/HoldSignals.h"

#include <atomic>

namespace mesh {
namespace {

std::atomic<int> caughtSignal{0};
static_assert(std::atomic<int>::is_always_lock_free, "read in a signal handler");

}  // namespace

HoldSignals::HoldSignals() {
  caughtSignal = 0;
  struct sigaction hold = {};
  hold.sa_handler = [](int signal) { caughtSignal = signal; };
  hold.sa_flags = SA_RESTART;
  sigemptyset(&hold.sa_mask);
  // A signal the process ignores (a background job's SIGINT) stays ignored.
  for (size_t i = 0; i < std::size(kHeld); ++i)
    if (sigaction(kHeld[i], nullptr, &saved_[i]) == 0 && saved_[i].sa_handler != SIG_IGN)
      sigaction(kHeld[i], &hold, nullptr);
  struct sigaction ignore = {};
  ignore.sa_handler = SIG_IGN;
  sigaction(SIGXFSZ, &ignore, &savedXfsz_);
}

HoldSignals::~HoldSignals() {
  for (size_t i = 0; i < std::size(kHeld); ++i) sigaction(kHeld[i], &saved_[i], nullptr);
  sigaction(SIGXFSZ, &savedXfsz_, nullptr);
  if (caughtSignal) std::raise(caughtSignal);
}

bool HoldSignals::interrupted() { return caughtSignal != 0; }

}  // namespace mesh
