// Failures travel as exceptions up to cli.cc, the one place that prints
// "Error: ..." and picks the exit status, so no command prints its own.
#pragma once

#include <stdexcept>
#include <string>

namespace alttcpctl {

class Error : public std::runtime_error {
public:
	using std::runtime_error::runtime_error;
};

// A mistake on the command line: also earns a hint pointing at the help of
// the object it concerns (empty: the top-level help).
class UsageError : public Error {
public:
	explicit UsageError(const std::string &msg, std::string object = "")
		: Error(msg), object_(std::move(object)) {}
	const std::string &object() const { return object_; }

private:
	std::string object_;
};

// The kernel refused a request; what() is its extack text or strerror(),
// extack() the extack text alone (empty when the kernel gave none).
class KernelError : public Error {
public:
	KernelError(int err, const std::string &msg, std::string extack = "")
		: Error(msg), errno_(err), extack_(std::move(extack)) {}
	int error_number() const { return errno_; }
	const std::string &extack() const { return extack_; }

private:
	int errno_;
	std::string extack_;
};

}  // namespace alttcpctl
