// GET_CONN dump messages as the module's fill_entry() builds them, one per
// kind of row, in its order of attributes.
#pragma once

#include <linux/alttcp.h>

#include "kernel_msg.h"

namespace alttcpctl::test {

inline void tuple(KernelMsg &m, uint8_t state, const char *la, uint16_t lp, const char *ra,
		  uint16_t rp)
{
	m.u8(ALTTCP_CONN_STATE, state)
		.be32(ALTTCP_CONN_LADDR, la)
		.u16(ALTTCP_CONN_LPORT, lp)
		.be32(ALTTCP_CONN_RADDR, ra)
		.u16(ALTTCP_CONN_RPORT, rp);
}

inline void timer(KernelMsg &m, uint8_t kind, uint32_t ms)
{
	m.u8(ALTTCP_CONN_TIMER, kind);
	if (kind != ALTTCP_TIMER_NONE)
		m.u32(ALTTCP_CONN_TIMER_EXPIRES_MS, ms);
}

inline void owner(KernelMsg &m, uint32_t uid, uint64_t ino)
{
	m.u32(ALTTCP_CONN_UID, uid).u64(ALTTCP_CONN_INODE, ino, ALTTCP_CONN_PAD);
}

// LISTEN 0.0.0.0:8080, 1 in the accept queue of 128, 2 requests.
inline Bytes listener_row(bool pad = true)
{
	KernelMsg m(pad);
	m.nest_start(ALTTCP_A_CONN);
	tuple(m, ALTTCP_STATE_LISTEN, "0.0.0.0", 8080, "0.0.0.0", 0);
	timer(m, ALTTCP_TIMER_NONE, 0);
	m.u64(ALTTCP_CONN_AGE_MS, 65000, ALTTCP_CONN_PAD);
	m.u32(ALTTCP_CONN_ACCEPT_QUEUE, 1).u32(ALTTCP_CONN_ACCEPT_MAX, 128).u32(ALTTCP_CONN_SYN_QUEUE, 2);
	m.u32(ALTTCP_CONN_LISTEN_OVERFLOWS, 3).u32(ALTTCP_CONN_LISTEN_DROPS, 4);
	owner(m, 0, 23456);
	m.nest_end();
	return m.bytes();
}

struct Detail {
	uint32_t rx, tx, retransmits, total_retrans, probes, rto, rtt, rttvar, cwnd, ssthresh;
	bool ts, sack, orphan;
	uint64_t acked, received, segs_in, segs_out;
};

inline void detail(KernelMsg &m, const Detail &d)
{
	m.u32(ALTTCP_CONN_RX_QUEUE, d.rx)
		.u32(ALTTCP_CONN_TX_QUEUE, d.tx)
		.u32(ALTTCP_CONN_RETRANSMITS, d.retransmits)
		.u32(ALTTCP_CONN_TOTAL_RETRANS, d.total_retrans)
		.u32(ALTTCP_CONN_PROBES, d.probes)
		.u32(ALTTCP_CONN_RTO_US, d.rto)
		.u32(ALTTCP_CONN_RTT_US, d.rtt)
		.u32(ALTTCP_CONN_RTTVAR_US, d.rttvar)
		.u32(ALTTCP_CONN_CWND, d.cwnd)
		.u32(ALTTCP_CONN_SSTHRESH, d.ssthresh)
		.u32(ALTTCP_CONN_SND_MSS, 1448)
		.u32(ALTTCP_CONN_RCV_MSS, 1448)
		.u8(ALTTCP_CONN_SND_WSCALE, 7)
		.u8(ALTTCP_CONN_RCV_WSCALE, 9)
		.u32(ALTTCP_CONN_SND_WND, 65535)
		.u32(ALTTCP_CONN_RCV_WND, 64240);
	if (d.ts)
		m.flag(ALTTCP_CONN_TIMESTAMPS);
	if (d.sack)
		m.flag(ALTTCP_CONN_SACK);
	if (d.orphan)
		m.flag(ALTTCP_CONN_ORPHAN);
	m.u64(ALTTCP_CONN_BYTES_ACKED, d.acked, ALTTCP_CONN_PAD)
		.u64(ALTTCP_CONN_BYTES_RECEIVED, d.received, ALTTCP_CONN_PAD)
		.u64(ALTTCP_CONN_SEGS_IN, d.segs_in, ALTTCP_CONN_PAD)
		.u64(ALTTCP_CONN_SEGS_OUT, d.segs_out, ALTTCP_CONN_PAD);
}

// ESTAB with data in flight, retransmitting (2 in a row, 3 in all).
inline Bytes estab_row(bool pad = true)
{
	KernelMsg m(pad);
	m.nest_start(ALTTCP_A_CONN);
	tuple(m, ALTTCP_STATE_ESTABLISHED, "10.0.1.1", 8080, "10.0.1.2", 40000);
	timer(m, ALTTCP_TIMER_RETRANSMIT, 200);
	m.u64(ALTTCP_CONN_AGE_MS, 1234, ALTTCP_CONN_PAD);
	detail(m, {5, 1448, 2, 3, 0, 408000, 12500, 3000, 14480, 0x7fffffff, true, true, false,
		   123456, 7890, 50, 60});
	owner(m, 1000, 34567);
	m.nest_end();
	return m.bytes();
}

// ESTAB, idle, keepalive due in 7199 s; an orphan with a set ssthresh.
inline Bytes keepalive_row(bool pad = true)
{
	KernelMsg m(pad);
	m.nest_start(ALTTCP_A_CONN);
	tuple(m, ALTTCP_STATE_ESTABLISHED, "10.0.1.1", 22, "10.0.1.9", 50000);
	timer(m, ALTTCP_TIMER_KEEPALIVE, 7199000);
	m.u64(ALTTCP_CONN_AGE_MS, 3600000, ALTTCP_CONN_PAD);
	detail(m, {0, 0, 0, 0, 1, 200000, 250, 125, 28960, 28960, false, false, true,
		   4294967301ull, 0, 3, 4});
	m.nest_end();
	return m.bytes();
}

// A SYN_RECV request: no queues, no socket, no details.
inline Bytes syn_recv_row(bool pad = true)
{
	KernelMsg m(pad);
	m.nest_start(ALTTCP_A_CONN);
	tuple(m, ALTTCP_STATE_SYN_RECV, "10.0.1.1", 8080, "10.0.1.3", 40001);
	timer(m, ALTTCP_TIMER_SYN_ACK, 1500);
	m.u64(ALTTCP_CONN_AGE_MS, 250, ALTTCP_CONN_PAD);
	m.nest_end();
	return m.bytes();
}

// A TIME_WAIT entry, 59 s to go.
inline Bytes time_wait_row(bool pad = true)
{
	KernelMsg m(pad);
	m.nest_start(ALTTCP_A_CONN);
	tuple(m, ALTTCP_STATE_TIME_WAIT, "10.0.1.1", 40002, "10.0.1.2", 80);
	timer(m, ALTTCP_TIMER_TIME_WAIT, 59000);
	m.u64(ALTTCP_CONN_AGE_MS, 1000, ALTTCP_CONN_PAD);
	m.nest_end();
	return m.bytes();
}

inline std::vector<Bytes> sample_dump(bool pad = true)
{
	return {listener_row(pad), estab_row(pad), keepalive_row(pad), syn_recv_row(pad),
		time_wait_row(pad)};
}

}  // namespace alttcpctl::test
