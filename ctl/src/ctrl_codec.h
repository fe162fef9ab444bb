// The generic netlink controller's CTRL_CMD_GETFAMILY exchange, as far as
// finding a family's multicast groups goes.  Pure.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "transport.h"

namespace alttcpctl {

// The request: CTRL_ATTR_FAMILY_NAME.
Bytes encode_getfamily(const std::string &family);

// The id of multicast group `group` in a GETFAMILY reply's
// CTRL_ATTR_MCAST_GROUPS, or nullopt when the family has no such group.
// A malformed reply throws Error.
std::optional<uint32_t> find_mcast_group(const Bytes &reply, const std::string &group);

}  // namespace alttcpctl
