#include "stats_codec.h"

#include <cstring>

#include <netlink/attr.h>

#include "error.h"

namespace alttcpctl {

Stats decode_stats(const Bytes &attrs)
{
	// nla_parse wants a mutable, 4-byte aligned buffer; a copy gives both.
	std::vector<uint32_t> buf((attrs.size() + 3) / 4);
	if (!attrs.empty())
		std::memcpy(buf.data(), attrs.data(), attrs.size());
	auto *head = reinterpret_cast<nlattr *>(buf.data());

	nlattr *top[ALTTCP_A_MAX + 1];
	if (nla_parse(top, ALTTCP_A_MAX, head, static_cast<int>(attrs.size()), nullptr) < 0)
		throw Error("malformed reply from kernel");
	if (!top[ALTTCP_A_STATS])
		throw Error("malformed reply from kernel: no counters");

	Stats s;
	nlattr *a;
	int rem;
	nla_for_each_nested(a, top[ALTTCP_A_STATS], rem) {
		// Type 0 is no counter; the pad and newer counters are above.
		int type = nla_type(a);
		if (type < ALTTCP_STATS_ATTR(0) ||
		    type > ALTTCP_STATS_ATTR(static_cast<int>(kNumCounters) - 1))
			continue;
		std::size_t id = static_cast<std::size_t>(type - ALTTCP_STATS_ATTR(0));
		if (nla_len(a) != 8)
			throw Error(std::string("malformed reply from kernel: bad ") +
				    counter_name(id));
		// The payload is 8-byte aligned only where the kernel padded it.
		uint64_t v;
		std::memcpy(&v, nla_data(a), sizeof(v));
		s.values[id] = v;
	}
	if (rem >= NLA_HDRLEN)
		throw Error("malformed reply from kernel: truncated counters");
	return s;
}

}  // namespace alttcpctl
