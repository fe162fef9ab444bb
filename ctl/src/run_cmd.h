// The `run` object: start a program whose IPv4 TCP sockets are alttcp ones,
// by preloading libalttcp_preload.so (ctl/preload/), as mptcpize does for
// MPTCP.  Everything but the final setns()/execvp() is a pure function here
// so that it can be tested without running anything.
#pragma once

#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "dispatch.h"

namespace alttcpctl {

const Object &run_command_object();

void run_usage(std::ostream &out);

inline constexpr const char *kPreloadLibName = "libalttcp_preload.so";

struct RunArgs {
	bool help = false;                 // `run help`, -h, --help
	bool strict = false;               // --strict
	std::string netns;                 // -n/--netns NAME; empty: not given
	std::vector<std::string> command;  // CMD ARGS...; never empty unless help
};

// `run [-n NAME] [--strict] [--] CMD ARGS...`.  Options end at "--" or at the
// first word that is not one: everything from there on is the command's,
// options included.  "help" is only a verb as the first word (`run -- help`
// runs a program called help).  Throws UsageError naming "run".
RunArgs parse_run_args(const Args &args);

// The namespace to run in: the global -n or run's own -n.  Both may be given
// only when they agree.  Throws UsageError.
std::string run_netns(const std::string &global, const std::string &local);

// Where the library may be, best first: $ALTTCP_PRELOAD_LIB alone when it is
// set and non-empty (an explicit choice is never second-guessed), else
// EXEDIR/preload/ (the build tree, ctl/build/) then EXEDIR/../lib/alttcp/
// (an installed tree: /usr/sbin and /usr/lib/alttcp).  env_lib may be null;
// a relative one is taken from the current directory.
std::vector<std::string> preload_lib_candidates(const char *env_lib, const std::string &exe_path);

// The first candidate that is a regular file.  Throws Error
// "libalttcp_preload.so not found (tried ...)" when none is, and when the
// path cannot be written into LD_PRELOAD (which splits on spaces and
// colons).
std::string find_preload_lib(const char *env_lib, const std::string &exe_path);

// LD_PRELOAD for the command: lib first, so its socket() is the one the
// program calls, then whatever the caller had (null or empty: nothing).
std::string compose_ld_preload(const std::string &lib, const char *existing);

// The variables to set before exec: LD_PRELOAD, and ALTTCP_PRELOAD_STRICT=1
// with --strict (without it an inherited value is left alone).
std::vector<std::pair<std::string, std::string>>
run_environment(const RunArgs &ra, const std::string &lib, const char *existing_ld_preload);

// The exit status when execvp() fails with err, as a shell's: 127 when the
// command was not found, 126 when it was but could not be run.
int exec_failure_status(int err);

}  // namespace alttcpctl
