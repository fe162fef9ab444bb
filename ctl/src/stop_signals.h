// SIGINT and SIGTERM as a file descriptor, for loops that run until the
// user stops them (`monitor`): while an instance lives the two signals are
// blocked and readable on fd(), so a wait can poll for them without racing
// a handler.  The old mask comes back on destruction, with any pending
// SIGINT/SIGTERM consumed first, so a stop ends the loop and not the
// process.
#pragma once

#include <signal.h>

namespace alttcpctl {

class StopSignals {
public:
	StopSignals();  // throws Error
	~StopSignals();
	StopSignals(const StopSignals &) = delete;
	StopSignals &operator=(const StopSignals &) = delete;

	int fd() const { return fd_; }

private:
	sigset_t old_;
	int fd_ = -1;
};

}  // namespace alttcpctl
