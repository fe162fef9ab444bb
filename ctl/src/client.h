// The alttcp generic netlink API as this tool uses it, over any Transport.
#pragma once

#include "conn_codec.h"
#include "conn_filter.h"
#include "listener_codec.h"
#include "param_table.h"
#include "stats_table.h"
#include "transport.h"

namespace alttcpctl {

// A GET_CONN dump; consistent is false when every try was interrupted by
// changes to the table (NLM_F_DUMP_INTR) and the rows may be skewed.
struct ConnDump {
	std::vector<Conn> conns;
	bool consistent = true;
};

// Events heard by one wait_events(): ALTTCP_A_EVENT attribute streams.
struct EventBatch {
	std::vector<Bytes> events;
	bool lost = false;     // the socket overflowed: some events are gone
	bool stopped = false;  // the stop fd fired
};

class Client {
public:
	// An interrupted dump is repeated this many times before its rows are
	// taken as they are.
	static constexpr int kDumpRetries = 3;

	explicit Client(Transport &t) : t_(t) {}

	// Whether the family is registered, i.e. the module is loaded.  Every
	// request below throws Error "alttcp module not loaded" when it is not.
	bool module_loaded();
	// The module's release, or nullopt when the module is older than the
	// command (0.6.0) and the kernel answers EOPNOTSUPP.
	std::optional<std::string> get_version();

	Config get_config();
	// One request for everything in c: the kernel applies all or none.
	void set_config(const Config &c);
	Stats get_stats();
	// Zeroes every counter but the gauge CurrEstab; needs CAP_NET_ADMIN.
	void reset_stats();

	ConnDump get_conns(const ConnFilter &f);
	// The number killed.  Throws Error "no connection matches" (or the
	// kernel's extack) when the kernel finds none.
	uint32_t kill_conns(const ConnFilter &f);

	void set_listener(const ListenerRule &r);
	std::vector<ListenerRule> get_listeners();

	// Joins ALTTCP_MCGRP_EVENTS, its id found through the controller.
	void join_events();
	EventBatch wait_events(int stop_fd);

private:
	int family();
	std::vector<Bytes> request(uint8_t cmd, const Bytes &attrs);
	const Bytes &single_reply(const std::vector<Bytes> &replies, const char *cmd);

	Transport &t_;
	std::optional<int> family_;
};

}  // namespace alttcpctl
