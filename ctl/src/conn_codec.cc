#include "conn_codec.h"

#include "attrs.h"
#include "error.h"

namespace alttcpctl {

Conn decode_conn(const Bytes &attrs)
{
	AttrStream s(attrs);
	nlattr *top[ALTTCP_A_MAX + 1];
	if (nla_parse(top, ALTTCP_A_MAX, s.head(), s.len(), nullptr) < 0)
		throw Error("malformed reply from kernel");
	if (!top[ALTTCP_A_CONN])
		throw Error("malformed reply from kernel: no connection");

	Conn c;
	bool have_state = false;
	for (const nlattr *a : nested_attrs(top[ALTTCP_A_CONN], "connection")) {
		switch (nla_type(a)) {
		case ALTTCP_CONN_STATE: c.state = attr_u8(a, "state"); have_state = true; break;
		case ALTTCP_CONN_LADDR: c.laddr = attr_u32(a, "local address"); break;
		case ALTTCP_CONN_LPORT: c.lport = attr_u16(a, "local port"); break;
		case ALTTCP_CONN_RADDR: c.raddr = attr_u32(a, "peer address"); break;
		case ALTTCP_CONN_RPORT: c.rport = attr_u16(a, "peer port"); break;
		case ALTTCP_CONN_AGE_MS: c.age_ms = attr_u64(a, "age"); break;
		case ALTTCP_CONN_RX_QUEUE: c.rx_queue = attr_u32(a, "receive queue"); break;
		case ALTTCP_CONN_TX_QUEUE: c.tx_queue = attr_u32(a, "send queue"); break;
		case ALTTCP_CONN_TIMER: c.timer = attr_u8(a, "timer"); break;
		case ALTTCP_CONN_TIMER_EXPIRES_MS: c.timer_expires_ms = attr_u32(a, "timer expiry"); break;
		case ALTTCP_CONN_RETRANSMITS: c.retransmits = attr_u32(a, "retransmits"); break;
		case ALTTCP_CONN_TOTAL_RETRANS: c.total_retrans = attr_u32(a, "total_retrans"); break;
		case ALTTCP_CONN_PROBES: c.probes = attr_u32(a, "probes"); break;
		case ALTTCP_CONN_RTO_US: c.rto_us = attr_u32(a, "rto"); c.detailed = true; break;
		case ALTTCP_CONN_RTT_US: c.rtt_us = attr_u32(a, "rtt"); break;
		case ALTTCP_CONN_RTTVAR_US: c.rttvar_us = attr_u32(a, "rttvar"); break;
		case ALTTCP_CONN_CWND: c.cwnd = attr_u32(a, "cwnd"); break;
		case ALTTCP_CONN_SSTHRESH: c.ssthresh = attr_u32(a, "ssthresh"); break;
		case ALTTCP_CONN_SND_MSS: c.snd_mss = attr_u32(a, "mss"); break;
		case ALTTCP_CONN_RCV_MSS: c.rcv_mss = attr_u32(a, "rcvmss"); break;
		case ALTTCP_CONN_SND_WSCALE: c.snd_wscale = attr_u8(a, "wscale"); break;
		case ALTTCP_CONN_RCV_WSCALE: c.rcv_wscale = attr_u8(a, "wscale"); break;
		case ALTTCP_CONN_TIMESTAMPS: c.timestamps = true; break;
		case ALTTCP_CONN_SACK: c.sack = true; break;
		case ALTTCP_CONN_ORPHAN: c.orphan = true; break;
		case ALTTCP_CONN_BYTES_ACKED: c.bytes_acked = attr_u64(a, "bytes_acked"); break;
		case ALTTCP_CONN_BYTES_RECEIVED: c.bytes_received = attr_u64(a, "bytes_received"); break;
		case ALTTCP_CONN_SEGS_IN: c.segs_in = attr_u64(a, "segs_in"); break;
		case ALTTCP_CONN_SEGS_OUT: c.segs_out = attr_u64(a, "segs_out"); break;
		case ALTTCP_CONN_UID: c.uid = attr_u32(a, "uid"); break;
		case ALTTCP_CONN_INODE: c.inode = attr_u64(a, "inode"); break;
		case ALTTCP_CONN_ACCEPT_QUEUE: c.accept_queue = attr_u32(a, "accept queue"); break;
		case ALTTCP_CONN_ACCEPT_MAX: c.accept_max = attr_u32(a, "accept max"); break;
		case ALTTCP_CONN_SYN_QUEUE: c.syn_queue = attr_u32(a, "syn queue"); break;
		case ALTTCP_CONN_LISTEN_OVERFLOWS:
			c.listen_overflows = attr_u32(a, "listen overflows");
			break;
		case ALTTCP_CONN_LISTEN_DROPS: c.listen_drops = attr_u32(a, "listen drops"); break;
		case ALTTCP_CONN_SND_WND: c.snd_wnd = attr_u32(a, "snd_wnd"); break;
		case ALTTCP_CONN_RCV_WND: c.rcv_wnd = attr_u32(a, "rcv_wnd"); break;
		default: break;  // ALTTCP_CONN_PAD, or newer than this tool
		}
	}
	if (!have_state)
		throw Error("malformed reply from kernel: connection without a state");
	return c;
}

}  // namespace alttcpctl
