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

// One --name or --name=value word, name matched as getopt_long does (a
// unique prefix will do).  Throws UsageError("unknown option ...") with
// `object`'s help hint.
struct LongOption {
	std::string name;
	std::string value;
	bool has_value = false;
};
LongOption match_long_option(const std::string &arg, const std::vector<std::string> &names,
			     const std::string &object = "");

}  // namespace alttcpctl
