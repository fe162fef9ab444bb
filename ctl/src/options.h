// Global options, the part of the command line before the object.
#pragma once

#include <string>
#include <vector>

namespace alttcpctl {

struct Options {
	bool json = false;
	bool pretty = false;  // implies json
	bool extended = false;  // -e: conn show adds uid, inode, age (as ss -e)
	bool info = false;      // -i: conn show adds TCP internals (as ss -i)
	bool help = false;
	bool version = false;
	std::string netns;    // empty: stay in the current namespace
};

struct ParsedCommandLine {
	Options opts;
	std::vector<std::string> rest;  // OBJECT [VERB [ARGS...]]
};

// Pure: no I/O.  Throws UsageError.
ParsedCommandLine parse_options(const std::vector<std::string> &args);

}  // namespace alttcpctl
