// Builds GET_STATS replies the way the module's put_stats() does, byte by
// byte and independently of decode_stats: an NLA_F_NESTED ALTTCP_A_STATS
// nest, then nla_put_u64_64bit(ALTTCP_STATS_ATTR(id), value, pad) per
// counter, which (where unaligned access is slow) first puts an empty pad
// attribute whenever the u64 payload would not be 8-byte aligned.
#pragma once

#include <cstring>
#include <utility>
#include <vector>

#include <linux/alttcp.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>

#include "stats_table.h"
#include "transport.h"

namespace alttcpctl::test {

// Realistic values, two of them beyond 32 bits, in uapi order.  Sized by
// kNumCounters: a counter appended to the uapi must be added here too.
inline constexpr uint64_t kSampleCounters[kNumCounters] = {
	12, 7, 2, 1, 3, 4294967301ull, 18446744073709551615ull, 25, 0, 4, 0, 0, 0, 0, 0,
	9, 1, 0, 0, 0, 0, 0, 0, 6, 0, 3, 0, 2, 0};

inline const char kSampleStatsText[] =
	"ActiveOpens                     12\n"
	"PassiveOpens                    7\n"
	"AttemptFails                    2\n"
	"EstabResets                     1\n"
	"CurrEstab                       3\n"
	"InSegs                          4294967301\n"
	"OutSegs                         18446744073709551615\n"
	"RetransSegs                     25\n"
	"InErrs                          0\n"
	"OutRsts                         4\n"
	"SyncookiesSent                  0\n"
	"SyncookiesRecv                  0\n"
	"SyncookiesFailed                0\n"
	"ListenOverflows                 0\n"
	"ListenDrops                     0\n"
	"TW                              9\n"
	"TWReused                        1\n"
	"TWOverflow                      0\n"
	"AbortOnTimeout                  0\n"
	"AbortOnClose                    0\n"
	"AbortOnData                     0\n"
	"AbortOnLinger                   0\n"
	"AbortOnMemory                   0\n"
	"KeepAliveProbes                 6\n"
	"ChallengeACKs                   0\n"
	"SynRetransmits                  3\n"
	"SynAckRetransmits               0\n"
	"FinRetransmits                  2\n"
	"PAWSRejected                    0\n"
	"MinTTLDrop                      0\n";

inline const char kSampleStatsJson[] =
	"{\"ActiveOpens\":12,\"PassiveOpens\":7,\"AttemptFails\":2,\"EstabResets\":1,"
	"\"CurrEstab\":3,\"InSegs\":4294967301,\"OutSegs\":18446744073709551615,"
	"\"RetransSegs\":25,\"InErrs\":0,\"OutRsts\":4,\"SyncookiesSent\":0,"
	"\"SyncookiesRecv\":0,\"SyncookiesFailed\":0,\"ListenOverflows\":0,"
	"\"ListenDrops\":0,\"TW\":9,\"TWReused\":1,\"TWOverflow\":0,\"AbortOnTimeout\":0,"
	"\"AbortOnClose\":0,\"AbortOnData\":0,\"AbortOnLinger\":0,\"AbortOnMemory\":0,"
	"\"KeepAliveProbes\":6,\"ChallengeACKs\":0,\"SynRetransmits\":3,"
	"\"SynAckRetransmits\":0,\"FinRetransmits\":2,\"PAWSRejected\":0,\"MinTTLDrop\":0}\n";

struct StatsReplyBuilder {
	// Where the attribute stream sits in the kernel's message; the kernel
	// aligns relative to the (8-byte aligned) message start.
	static constexpr std::size_t kBase = NLMSG_HDRLEN + GENL_HDRLEN;

	int pad_type = ALTTCP_STATS_PAD;
	bool pad = true;  // false: as on x86, where no pad is ever put
	Bytes b;

	void hdr(uint16_t len, uint16_t type)
	{
		uint8_t h[4];
		std::memcpy(h, &len, 2);
		std::memcpy(h + 2, &type, 2);
		b.insert(b.end(), h, h + 4);
	}
	void u64(int type, uint64_t v)
	{
		if (pad && (kBase + b.size() + NLA_HDRLEN) % 8 != 0)
			hdr(NLA_HDRLEN, static_cast<uint16_t>(pad_type));
		hdr(NLA_HDRLEN + 8, static_cast<uint16_t>(type));
		uint8_t p[8];
		std::memcpy(p, &v, 8);
		b.insert(b.end(), p, p + 8);
	}
	// attrs: (attribute type, value) in the order to put them.
	Bytes build(const std::vector<std::pair<int, uint64_t>> &attrs)
	{
		b.clear();
		hdr(0, ALTTCP_A_STATS | NLA_F_NESTED);
		for (const auto &a : attrs)
			u64(a.first, a.second);
		uint16_t len = static_cast<uint16_t>(b.size());
		std::memcpy(b.data(), &len, 2);
		return b;
	}
};

// Every counter of values, as the current module sends them.
inline Bytes kernel_stats_reply(const uint64_t (&values)[kNumCounters], bool pad = true)
{
	std::vector<std::pair<int, uint64_t>> attrs;
	for (std::size_t i = 0; i < kNumCounters; i++)
		attrs.emplace_back(ALTTCP_STATS_ATTR(static_cast<int>(i)), values[i]);
	StatsReplyBuilder sb;
	sb.pad = pad;
	return sb.build(attrs);
}

}  // namespace alttcpctl::test
