// Reading the kernel's answer to a failed request: the errno and, with
// NETLINK_EXT_ACK, the human-readable reason ("syn_retries: out of range
// [1, 127]") that is far more useful than "Invalid argument".
#pragma once

#include <cstddef>
#include <optional>
#include <string>

namespace alttcpctl {

struct NetlinkError {
	int error = 0;    // positive errno
	std::string msg;  // NLMSGERR_ATTR_MSG, empty when the kernel gave none
};

// Parses one NLMSG_ERROR message of len bytes (the whole nlmsghdr onwards),
// capped or not.  nullopt when it is not a well-formed NLMSG_ERROR.
std::optional<NetlinkError> parse_netlink_error(const void *msg, std::size_t len);

// Parses the NLMSG_DONE that ends a dump: its payload is the dump's
// result (0, or a negative errno) and, with NLM_F_ACK_TLVS, extack TLVs
// follow it.  nullopt when it is not a well-formed NLMSG_DONE; error 0 when
// the dump succeeded.
std::optional<NetlinkError> parse_dump_done(const void *msg, std::size_t len);

// The text the user sees after "Error: ".
std::string describe(const NetlinkError &e);

}  // namespace alttcpctl
