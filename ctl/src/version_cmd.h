// -V / --version: this tool's release and the loaded module's.  Both come
// from the first line of debian/changelog, so they differ only when the
// installed tool and the loaded module are of different releases.
#pragma once

#include <optional>
#include <string>

#include "dispatch.h"

namespace alttcpctl {

class Writer;

// The first release whose module answers ALTTCP_CMD_GET_VERSION.
inline constexpr char kFirstVersionedModule[] = "0.6.0";

// What the kernel says of the module.
struct ModuleVersion {
	bool loaded = false;
	// nullopt when not loaded, or older than kFirstVersionedModule.
	std::optional<std::string> release;
};

// Asks the kernel: no family is "not loaded", EOPNOTSUPP "older".  Other
// failures throw Error.
ModuleVersion query_module_version(Transport &t);

// Text is two lines, the second saying why when the release is unknown:
//     alttcpctl 0.6.0
//     alttcp module 0.6.0  |  alttcp module: not loaded
//                          |  alttcp module: unknown (older than 0.6.0)
// JSON one object: {"alttcpctl":"0.6.0","module":"0.6.0"}, module null
// when unknown.
void write_versions(Writer &w, const std::string &tool, const ModuleVersion &m, bool json);

// The warning for stderr, newline included, when a loaded module's release
// is not the tool's (or is unknown, hence older); otherwise "".
std::string version_warning(const std::string &tool, const ModuleVersion &m);

// What -V does, with ALTTCPCTL_VERSION as the tool's release.  A differing
// module is a warning, never a failure.
void show_version(Context &ctx);

}  // namespace alttcpctl
