// What `conn show` prints, minus the fetching.  Pure, so the exact output
// is tested from recorded kernel replies.
//
// Text, like `ss -tan -o` (plus -e and -i as in ss):
//
//   State   Recv-Q  Send-Q  Local Address:Port  Peer Address:Port  Timer
//   LISTEN  0       128     0.0.0.0:8080        0.0.0.0:*
//   ESTAB   0       0       10.0.1.1:8080       10.0.1.2:40000     timer:(keepalive,119min,0)
//
// Columns are left-aligned and as wide as their widest cell, two spaces
// apart.  For LISTEN rows Recv-Q/Send-Q are the accept queue and its
// limit; rows the kernel gives no queues for (SYN-RECV, TIME-WAIT) show 0.
// The timer is timer:(KIND,EXPIRES,N) with KIND on (retransmission),
// persist, delack, keepalive, fin_wait2, timewait or synack, EXPIRES in
// ss's style (200ms, 1.500ms, 59sec, 119min) and N the consecutive
// retransmissions, or unanswered probes for keepalive and persist.
// -e appends uid:N ino:N age:S.mmms to the line; -i adds a line, indented
// by a tab, of rto:MS rtt:MS/MS mss rcvmss cwnd (bytes) ssthresh (bytes,
// when set) wscale:SND,RCV ts sack bytes_acked bytes_received segs_out
// segs_in snd_wnd rcv_wnd retrans:N/TOTAL, or synq:N for a listener.
//
// JSON (-j): an array with one object per row; keys are stable and a key
// is left out when the kernel did not report it for that kind of row:
//   state           "ESTABLISHED", "SYN_SENT", "SYN_RECV", "FIN_WAIT1",
//                   "FIN_WAIT2", "TIME_WAIT", "CLOSE", "CLOSE_WAIT",
//                   "LAST_ACK", "LISTEN", "CLOSING" (the uapi enum names)
//   local_addr, peer_addr  dotted quad strings
//   local_port, peer_port  numbers (peer_port 0 for listeners)
//   recv_q, send_q  numbers, as in the text's columns
//   timer           null, or {"kind": "retransmit" | "persist" | "delack" |
//                   "keepalive" | "fin_wait2" | "time_wait" | "syn_ack",
//                   "expires_ms": N, "retransmits": N}
//   age_ms, uid, inode, orphan (bool), rto_us, rtt_us, rttvar_us, snd_mss,
//   rcv_mss, cwnd, ssthresh, snd_wscale, rcv_wscale, timestamps (bool),
//   sack (bool), snd_wnd, rcv_wnd, bytes_acked, bytes_received, segs_out,
//   segs_in, retransmits, total_retrans, probes, accept_queue, accept_max,
//   syn_queue: numbers unless marked, as the kernel reports them.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "conn_codec.h"

namespace alttcpctl {

class Writer;

struct ConnTextOptions {
	bool extended = false;  // -e
	bool info = false;      // -i
};

void print_conn_table(std::ostream &out, const std::vector<Conn> &conns,
		      const ConnTextOptions &opts);

void write_conns(Writer &w, const std::vector<Conn> &conns);

// ss's print_ms_timer(): "200ms", "005ms", "1.500ms", "59sec", "2min3sec",
// "119min"; 0 is "0ms" (ss prints nothing).
std::string format_ms_timer(uint64_t ms);

}  // namespace alttcpctl
