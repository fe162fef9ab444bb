// One GET_CONN dump message -> Conn.  Pure, over the attribute stream after
// the genlmsghdr, like stats_codec.h.
#pragma once

#include <cstdint>
#include <optional>

#include <linux/alttcp.h>

#include "transport.h"

namespace alttcpctl {

// What the kernel says of one listener, connection, SYN_RECV request or
// TIME_WAIT entry.  Each kind leaves out what it does not have (a request
// has no queues, a listener no RTT), hence the optionals.
struct Conn {
	uint8_t state = 0;  // ALTTCP_STATE_*
	uint32_t laddr = 0, raddr = 0;  // be32
	uint16_t lport = 0, rport = 0;
	uint8_t timer = ALTTCP_TIMER_NONE;
	std::optional<uint32_t> timer_expires_ms;
	std::optional<uint64_t> age_ms;
	std::optional<uint32_t> rx_queue, tx_queue;
	std::optional<uint32_t> retransmits, total_retrans, probes;
	std::optional<uint32_t> rto_us, rtt_us, rttvar_us;
	std::optional<uint32_t> cwnd, ssthresh, snd_mss, rcv_mss;
	std::optional<uint8_t> snd_wscale, rcv_wscale;
	std::optional<uint32_t> snd_wnd, rcv_wnd;
	// The flags mean something only where the kernel sent a full
	// connection's details (`detailed`); elsewhere they are unknown.
	bool detailed = false;
	bool timestamps = false, sack = false, orphan = false;
	std::optional<uint64_t> bytes_acked, bytes_received, segs_in, segs_out;
	std::optional<uint32_t> uid;
	std::optional<uint64_t> inode;
	std::optional<uint32_t> accept_queue, accept_max, syn_queue;  // listeners
	std::optional<uint32_t> listen_overflows, listen_drops;       // listeners
};

// Reads the ALTTCP_A_CONN nest.  Pad attributes and attributes this tool
// does not know (a newer kernel) are skipped; no state, a payload shorter
// than its type or a truncated nest throws Error.
Conn decode_conn(const Bytes &attrs);

}  // namespace alttcpctl
