// Transport over a real generic netlink socket (libnl), in the network
// namespace the process is in when it is constructed.
#pragma once

#include "nl_ptr.h"
#include "transport.h"

namespace alttcpctl {

class NlTransport : public Transport {
public:
	NlTransport();  // throws Error when no netlink socket can be had

	std::optional<int> resolve_family(const std::string &name) override;
	std::vector<Bytes> transact(int family, uint8_t version, uint8_t cmd,
				    const Bytes &attrs) override;

private:
	NlSockPtr sk_;
};

}  // namespace alttcpctl
