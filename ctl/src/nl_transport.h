// Transport over a real generic netlink socket (libnl), in the network
// namespace the process is in when it is constructed.
#pragma once

#include "nl_ptr.h"
#include "transport.h"

namespace alttcpctl {

struct NlExchange;  // one request's replies and outcome, in nl_transport.cc

class NlTransport : public Transport {
public:
	NlTransport();  // throws Error when no netlink socket can be had

	std::optional<int> resolve_family(const std::string &name) override;
	std::vector<Bytes> transact(int family, uint8_t version, uint8_t cmd,
				    const Bytes &attrs) override;
	DumpReply dump(int family, uint8_t version, uint8_t cmd, const Bytes &attrs) override;
	void join_group(uint32_t group) override;
	Notifications wait_notifications(int stop_fd) override;

private:
	// Sends a request built with `flags` and runs the callbacks until its
	// ack, error or NLMSG_DONE.
	void exchange(int family, uint8_t version, uint8_t cmd, int flags, const Bytes &attrs,
		      NlExchange &x);

	NlSockPtr sk_;
};

}  // namespace alttcpctl
