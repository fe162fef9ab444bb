// The seam between the tool's logic and the kernel: generic netlink reduced
// to "find a family", "send one request, collect the replies", "dump" and
// "listen to a multicast group".  The libnl implementation is
// nl_transport.h; tests substitute a fake.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace alttcpctl {

using Bytes = std::vector<uint8_t>;

// The messages of one dump, in order.
struct DumpReply {
	std::vector<Bytes> messages;  // attribute streams
	bool interrupted = false;     // NLM_F_DUMP_INTR on any message
};

// One generic netlink message heard on a multicast group.
struct Notification {
	int family;  // nlmsg_type
	uint8_t cmd;
	Bytes attrs;
};

// What one wait_notifications() brought.
struct Notifications {
	std::vector<Notification> messages;
	bool overrun = false;  // the socket overflowed (ENOBUFS): some were lost
	bool stopped = false;  // stop_fd became readable
};

class Transport {
public:
	virtual ~Transport() = default;

	// The family id, or nullopt when no such family is registered.
	virtual std::optional<int> resolve_family(const std::string &name) = 0;

	// Sends cmd with the given attribute stream and waits for the ack.
	// Returns the attribute stream of each reply message; throws
	// KernelError when the kernel refuses.
	virtual std::vector<Bytes> transact(int family, uint8_t version, uint8_t cmd,
					    const Bytes &attrs) = 0;

	// Sends cmd as a dump request (NLM_F_DUMP) and collects every message
	// up to NLMSG_DONE.  Throws KernelError when the kernel refuses, at
	// the start or in NLMSG_DONE.  Repeating an interrupted dump is the
	// caller's choice.
	virtual DumpReply dump(int family, uint8_t version, uint8_t cmd, const Bytes &attrs) = 0;

	// Joins multicast group id `group`; notifications then queue up.
	virtual void join_group(uint32_t group) = 0;

	// Blocks until notifications arrive, the socket overruns, or stop_fd
	// (-1: none) becomes readable; signals that interrupt the wait are
	// not an error.
	virtual Notifications wait_notifications(int stop_fd) = 0;
};

}  // namespace alttcpctl
