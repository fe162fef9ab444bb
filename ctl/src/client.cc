#include "client.h"

#include <cerrno>

#include <linux/alttcp.h>
#include <linux/genetlink.h>

#include "attrs.h"
#include "config_codec.h"
#include "ctrl_codec.h"
#include "error.h"
#include "stats_codec.h"
#include "version_codec.h"

namespace alttcpctl {

bool Client::module_loaded()
{
	if (!family_)
		family_ = t_.resolve_family(ALTTCP_GENL_NAME);
	return family_.has_value();
}

int Client::family()
{
	if (!module_loaded())
		throw Error("alttcp module not loaded");
	return *family_;
}

std::vector<Bytes> Client::request(uint8_t cmd, const Bytes &attrs)
{
	return t_.transact(family(), ALTTCP_GENL_VERSION, cmd, attrs);
}

const Bytes &Client::single_reply(const std::vector<Bytes> &replies, const char *cmd)
{
	if (replies.size() != 1)
		throw Error("unexpected reply from kernel: " + std::to_string(replies.size()) +
			    " messages for " + cmd);
	return replies[0];
}

std::optional<std::string> Client::get_version()
{
	std::vector<Bytes> replies;
	try {
		replies = request(ALTTCP_CMD_GET_VERSION, {});
	} catch (const KernelError &e) {
		if (e.error_number() == EOPNOTSUPP)
			return std::nullopt;
		throw;
	}
	return decode_version(single_reply(replies, "GET_VERSION"));
}

Config Client::get_config()
{
	return decode_config(single_reply(request(ALTTCP_CMD_GET_CONFIG, {}), "GET_CONFIG"));
}

void Client::set_config(const Config &c)
{
	request(ALTTCP_CMD_SET_CONFIG, encode_config(c));
}

Stats Client::get_stats()
{
	return decode_stats(single_reply(request(ALTTCP_CMD_GET_STATS, {}), "GET_STATS"));
}

void Client::reset_stats()
{
	request(ALTTCP_CMD_RESET_STATS, {});
}

ConnDump Client::get_conns(const ConnFilter &f)
{
	Bytes attrs = encode_conn_filter(f);
	DumpReply d;
	for (int attempt = 0; attempt <= kDumpRetries; attempt++) {
		d = t_.dump(family(), ALTTCP_GENL_VERSION, ALTTCP_CMD_GET_CONN, attrs);
		if (!d.interrupted)
			break;
	}
	ConnDump out;
	out.consistent = !d.interrupted;
	for (const Bytes &m : d.messages)
		out.conns.push_back(decode_conn(m));
	return out;
}

uint32_t Client::kill_conns(const ConnFilter &f)
{
	std::vector<Bytes> replies;
	try {
		replies = request(ALTTCP_CMD_KILL_CONN, encode_conn_filter(f));
	} catch (const KernelError &e) {
		if (e.error_number() == ENOENT && e.extack().empty())
			throw KernelError(ENOENT, "no connection matches");
		throw;
	}
	AttrStream s(single_reply(replies, "KILL_CONN"));
	nlattr *top[ALTTCP_A_MAX + 1];
	if (nla_parse(top, ALTTCP_A_MAX, s.head(), s.len(), nullptr) < 0 || !top[ALTTCP_A_COUNT])
		throw Error("malformed reply from kernel: no count");
	return attr_u32(top[ALTTCP_A_COUNT], "count");
}

void Client::set_listener(const ListenerRule &r)
{
	request(ALTTCP_CMD_SET_LISTENER, encode_listener_rule(r));
}

std::vector<ListenerRule> Client::get_listeners()
{
	return decode_listener_rules(
		single_reply(request(ALTTCP_CMD_GET_LISTENER, {}), "GET_LISTENER"));
}

void Client::join_events()
{
	family();  // "module not loaded" before anything else
	std::vector<Bytes> replies = t_.transact(GENL_ID_CTRL, 1, CTRL_CMD_GETFAMILY,
						 encode_getfamily(ALTTCP_GENL_NAME));
	std::optional<uint32_t> group =
		find_mcast_group(single_reply(replies, "CTRL_CMD_GETFAMILY"), ALTTCP_MCGRP_EVENTS);
	if (!group)
		throw Error("the alttcp module has no \"" ALTTCP_MCGRP_EVENTS "\" multicast group");
	t_.join_group(*group);
}

EventBatch Client::wait_events(int stop_fd)
{
	Notifications n = t_.wait_notifications(stop_fd);
	EventBatch b;
	b.lost = n.overrun;
	b.stopped = n.stopped;
	for (Notification &m : n.messages)
		if (m.family == family() && m.cmd == ALTTCP_CMD_EVENT)
			b.events.push_back(std::move(m.attrs));
	return b;
}

}  // namespace alttcpctl
