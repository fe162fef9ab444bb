// The alttcp generic netlink API as this tool uses it, over any Transport.
#pragma once

#include "param_table.h"
#include "stats_table.h"
#include "transport.h"

namespace alttcpctl {

class Client {
public:
	explicit Client(Transport &t) : t_(t) {}

	Config get_config();
	// One request for everything in c: the kernel applies all or none.
	void set_config(const Config &c);
	Stats get_stats();
	// Zeroes every counter but the gauge CurrEstab; needs CAP_NET_ADMIN.
	void reset_stats();

private:
	int family();
	std::vector<Bytes> request(uint8_t cmd, const Bytes &attrs);

	Transport &t_;
	std::optional<int> family_;
};

}  // namespace alttcpctl
