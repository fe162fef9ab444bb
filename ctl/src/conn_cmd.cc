#include "conn_cmd.h"

#include "client.h"
#include "conn_filter.h"
#include "conn_format.h"
#include "error.h"
#include "transport.h"
#include "writer.h"

namespace alttcpctl {

void conn_usage(std::ostream &out)
{
	out << "  conn [show] [FILTER]                list connections, as ss -tan (-e, -i: more)\n"
	       "  conn kill FILTER                    reset the matching connections, as ss -K\n"
	       "  conn help                           describe FILTER and the output\n";
}

namespace {

void show(Context &ctx, const Args &args)
{
	// The filter first, so typos are caught without the module.
	ConnFilter f = parse_conn_filter(args);
	auto t = ctx.connect(ctx.opts);
	ConnDump d = Client(*t).get_conns(f);
	if (!d.consistent)
		ctx.err << "Warning: dump interrupted, output may be inconsistent\n";
	if (ctx.opts.json)
		write_conns(*output_writer(ctx), d.conns);
	else
		print_conn_table(ctx.out, d.conns, {ctx.opts.extended, ctx.opts.info});
}

void kill_conns(Context &ctx, const Args &args)
{
	ConnFilter f = parse_conn_filter(args);
	if (f.empty())
		throw UsageError("conn kill needs a filter", "conn");
	auto t = ctx.connect(ctx.opts);
	uint32_t n = Client(*t).kill_conns(f);
	auto w = output_writer(ctx);
	w->begin_object();
	w->field_uint("killed", n);
	w->end_object();
}

void help(Context &ctx, const Args &)
{
	ctx.out << "Usage: alttcpctl [OPTIONS] conn { show [FILTER] | kill FILTER | help }\n";
	conn_usage(ctx.out);
	ctx.out << "\n"
		   "FILTER is any of, in any order:\n"
		   "  state STATE          repeatable; STATE (any case) is one of established\n"
		   "                       (estab), syn-sent, syn-recv, fin-wait-1, fin-wait-2,\n"
		   "                       time-wait, closed (close), close-wait, last-ack,\n"
		   "                       listening (listen), closing, or a group: all,\n"
		   "                       connected (all but listening and closed),\n"
		   "                       synchronized (connected but syn-sent)\n"
		   "  src ADDR[:PORT]      local address and/or port (ADDR * = any)\n"
		   "  dst ADDR[:PORT]      peer address and/or port\n"
		   "  sport PORT           local port\n"
		   "  dport PORT           peer port\n"
		   "\n"
		   "Text output is ss -tan's with its -o timers: timer:(KIND,EXPIRES,N), KIND one\n"
		   "of on (retransmission), persist, delack, keepalive, fin_wait2, timewait,\n"
		   "synack.  For LISTEN rows Recv-Q/Send-Q are the accept queue and its limit.\n"
		   "-e adds uid, ino and age; -i adds a line of rto:MS rtt:MS/MS mss rcvmss\n"
		   "cwnd ssthresh (bytes) wscale:SND,RCV ts sack bytes_acked bytes_received\n"
		   "segs_out segs_in snd_wnd rcv_wnd retrans:N/TOTAL, or synq, overflows and drops for listeners.\n"
		   "\n"
		   "-j prints an array of objects: state (ESTABLISHED, SYN_SENT, SYN_RECV,\n"
		   "FIN_WAIT1, FIN_WAIT2, TIME_WAIT, CLOSE, CLOSE_WAIT, LAST_ACK, LISTEN,\n"
		   "CLOSING), local_addr, local_port, peer_addr, peer_port, recv_q, send_q,\n"
		   "timer (null or {kind, expires_ms, retransmits}, kind one of retransmit,\n"
		   "persist, delack, keepalive, fin_wait2, time_wait, syn_ack), then whichever\n"
		   "the kernel reports for the row: age_ms, uid, inode, orphan, rto_us, rtt_us,\n"
		   "rttvar_us, snd_mss, rcv_mss, cwnd, ssthresh, snd_wscale, rcv_wscale,\n"
		   "timestamps, sack, snd_wnd, rcv_wnd, bytes_acked, bytes_received, segs_out,\n"
		   "segs_in, retransmits, total_retrans, probes, accept_queue, accept_max,\n"
		   "syn_queue.  conn kill prints \"killed N\" ({\"killed\": N}).\n";
}

}  // namespace

const Object &conn_object()
{
	static const Object obj{
		"conn",
		{{"show", show}, {"kill", kill_conns}, {"help", help}},
		show,
		conn_usage,
		false,
		is_filter_word,
	};
	return obj;
}

}  // namespace alttcpctl
