#include "client.h"

#include <linux/alttcp.h>

#include "config_codec.h"
#include "error.h"
#include "stats_codec.h"

namespace alttcpctl {

int Client::family()
{
	if (!family_) {
		family_ = t_.resolve_family(ALTTCP_GENL_NAME);
		if (!family_)
			throw Error("alttcp module not loaded");
	}
	return *family_;
}

std::vector<Bytes> Client::request(uint8_t cmd, const Bytes &attrs)
{
	return t_.transact(family(), ALTTCP_GENL_VERSION, cmd, attrs);
}

Config Client::get_config()
{
	std::vector<Bytes> replies = request(ALTTCP_CMD_GET_CONFIG, {});
	if (replies.size() != 1)
		throw Error("unexpected reply from kernel: " + std::to_string(replies.size()) +
			    " messages for GET_CONFIG");
	return decode_config(replies[0]);
}

void Client::set_config(const Config &c)
{
	request(ALTTCP_CMD_SET_CONFIG, encode_config(c));
}

Stats Client::get_stats()
{
	std::vector<Bytes> replies = request(ALTTCP_CMD_GET_STATS, {});
	if (replies.size() != 1)
		throw Error("unexpected reply from kernel: " + std::to_string(replies.size()) +
			    " messages for GET_STATS");
	return decode_stats(replies[0]);
}

void Client::reset_stats()
{
	request(ALTTCP_CMD_RESET_STATS, {});
}

}  // namespace alttcpctl
