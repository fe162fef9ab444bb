// The seam between the tool's logic and the kernel: generic netlink reduced
// to "find a family" and "send one request, collect the replies".  The libnl
// implementation is nl_transport.h; tests substitute a fake.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace alttcpctl {

using Bytes = std::vector<uint8_t>;

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
};

}  // namespace alttcpctl
