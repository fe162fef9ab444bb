// GET_VERSION replies -> the module's release.  A pure function over the
// attribute stream after the genlmsghdr, like stats_codec.h, so it is
// testable without a kernel.  (The request carries no attribute.)
#pragma once

#include <string>

#include "transport.h"

namespace alttcpctl {

// Reads ALTTCP_A_VERSION, a NUL-terminated string such as "0.6.0".
// Attributes this tool does not know (a newer kernel) are skipped; a reply
// without the version, or with an empty or unterminated one, throws Error.
std::string decode_version(const Bytes &attrs);

}  // namespace alttcpctl
