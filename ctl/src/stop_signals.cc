#include "stop_signals.h"

#include <cerrno>
#include <csignal>
#include <cstring>
#include <sys/signalfd.h>
#include <unistd.h>

#include "error.h"

namespace alttcpctl {

namespace {

sigset_t stop_set()
{
	sigset_t s;
	sigemptyset(&s);
	sigaddset(&s, SIGINT);
	sigaddset(&s, SIGTERM);
	return s;
}

}  // namespace

StopSignals::StopSignals()
{
	sigset_t s = stop_set();

	// A shell starts background jobs with SIGINT ignored, and an ignored
	// signal never reaches a signalfd: `alttcpctl monitor &` would then
	// ignore `kill -INT` too.  Blocked and watched, it needs a disposition
	// that is not SIG_IGN.
	std::signal(SIGINT, SIG_DFL);
	std::signal(SIGTERM, SIG_DFL);
	if (int rc = pthread_sigmask(SIG_BLOCK, &s, &old_); rc != 0)
		throw Error(std::string("cannot block signals: ") + std::strerror(rc));
	fd_ = signalfd(-1, &s, SFD_NONBLOCK | SFD_CLOEXEC);
	if (fd_ < 0) {
		int err = errno;
		pthread_sigmask(SIG_SETMASK, &old_, nullptr);
		throw Error(std::string("cannot watch signals: ") + std::strerror(err));
	}
}

StopSignals::~StopSignals()
{
	signalfd_siginfo si;
	while (read(fd_, &si, sizeof(si)) == static_cast<ssize_t>(sizeof(si)))
		;
	close(fd_);
	pthread_sigmask(SIG_SETMASK, &old_, nullptr);
}

}  // namespace alttcpctl
