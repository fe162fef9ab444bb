// `conn show|kill` filter words -> ConnFilter -> the ALTTCP_A_FILTER nest.
// Pure: no kernel needed to check or encode a filter.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "transport.h"

namespace alttcpctl {

struct ConnFilter {
	std::optional<uint32_t> states;  // bit (1 << ALTTCP_STATE_*)
	std::optional<uint32_t> laddr;   // be32
	std::optional<uint16_t> lport;
	std::optional<uint32_t> raddr;   // be32
	std::optional<uint16_t> rport;

	bool empty() const { return !states && !laddr && !lport && !raddr && !rport; }
	bool operator==(const ConnFilter &o) const
	{
		return states == o.states && laddr == o.laddr && lport == o.lport &&
		       raddr == o.raddr && rport == o.rport;
	}
};

// [state S]... [src ADDR[:PORT]] [dst ADDR[:PORT]] [sport N] [dport N], in
// any order.  Several `state` words add up, as in `ss`.  A port given twice
// (src 1.2.3.4:80 sport 81) or a word that is none of these throws
// UsageError for object "conn".
ConnFilter parse_conn_filter(const std::vector<std::string> &args);

// Whether word is one that starts a filter term (state, src, dst, sport,
// dport).
bool is_filter_word(const std::string &word);

// The request's attribute stream: nothing for an empty filter, else one
// ALTTCP_A_FILTER nest with what is set.
Bytes encode_conn_filter(const ConnFilter &f);

}  // namespace alttcpctl
