// Config <-> generic netlink attributes.  Pure functions over byte buffers
// (the attribute stream after the genlmsghdr), so they are testable without
// a kernel; the transport adds and strips the headers.
#pragma once

#include <cstdint>
#include <vector>

#include "param_table.h"

namespace alttcpctl {

using Bytes = std::vector<uint8_t>;

// One ALTTCP_A_CONFIG nest holding every field present in c.
Bytes encode_config(const Config &c);

// Reads the ALTTCP_A_CONFIG nest of a reply.  Attributes this tool does not
// know (a newer kernel) are skipped; a truncated one throws Error.
Config decode_config(const Bytes &attrs);

}  // namespace alttcpctl
