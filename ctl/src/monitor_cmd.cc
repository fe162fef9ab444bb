#include "monitor_cmd.h"

#include <cstdio>
#include <ctime>

#include "client.h"
#include "error.h"
#include "inet.h"
#include "stop_signals.h"
#include "tcp_states.h"
#include "transport.h"
#include "writer.h"

namespace alttcpctl {

namespace {

std::string timestamp(uint64_t ns)
{
	time_t secs = static_cast<time_t>(ns / 1000000000ull);
	std::tm tm;
	if (!localtime_r(&secs, &tm))
		return "?";
	char date[32];
	std::strftime(date, sizeof(date), "%Y-%m-%dT%H:%M:%S", &tm);
	char frac[16];
	std::snprintf(frac, sizeof(frac), ".%06u",
		      static_cast<unsigned>((ns % 1000000000ull) / 1000));
	return std::string(date) + frac;
}

}  // namespace

std::string format_event(const Event &e)
{
	return "[" + (e.time_ns ? timestamp(*e.time_ns) : std::string("?")) + "] " +
	       state_text(e.old_state) + " -> " + state_text(e.new_state) + " " +
	       format_endpoint(e.laddr, e.lport) + " " + format_endpoint(e.raddr, e.rport) +
	       " reason " + reason_name(e.reason);
}

void write_event(Writer &w, const Event &e)
{
	w.begin_object();
	if (e.time_ns)
		w.field_uint("time_ns", *e.time_ns);
	w.field_string("old_state", state_enum_name(e.old_state));
	w.field_string("new_state", state_enum_name(e.new_state));
	w.field_string("reason", reason_name(e.reason));
	w.field_string("local_addr", format_ipv4(e.laddr));
	w.field_uint("local_port", e.lport);
	w.field_string("peer_addr", format_ipv4(e.raddr));
	w.field_uint("peer_port", e.rport);
	w.end_object();
}

void monitor_usage(std::ostream &out)
{
	out << "  monitor                             print connection state changes until ^C\n"
	       "  monitor help                        describe the output\n";
}

namespace {

void watch(Context &ctx, const Args &args)
{
	if (!args.empty())
		throw UsageError("unexpected argument \"" + args[0] + "\"", "monitor");
	auto t = ctx.connect(ctx.opts);
	Client c(*t);
	StopSignals stop;
	c.join_events();
	for (;;) {
		EventBatch b = c.wait_events(stop.fd());
		if (b.lost)
			ctx.err << "Warning: events lost (ENOBUFS)" << std::endl;
		for (const Bytes &attrs : b.events) {
			Event e;
			try {
				e = decode_event(attrs);
			} catch (const Error &err) {
				ctx.err << "Warning: " << err.what() << std::endl;
				continue;
			}
			if (ctx.opts.json)
				write_event(*make_json_writer(ctx.out, false), e);
			else
				ctx.out << format_event(e) << '\n';
			ctx.out.flush();
		}
		if (!ctx.out)
			throw Error("cannot write output");
		if (b.stopped)
			return;
	}
}

void help(Context &ctx, const Args &)
{
	ctx.out << "Usage: alttcpctl [OPTIONS] monitor [help]\n";
	monitor_usage(ctx.out);
	ctx.out << "\n"
		   "One line per state change of any connection of the namespace, until SIGINT\n"
		   "or SIGTERM:\n"
		   "  [2026-11-21T14:03:05.123456] ESTAB -> FIN-WAIT-1 10.0.1.1:40000 10.0.1.2:80 reason app_close\n"
		   "(local time, old and new state, local and peer address, the reason).\n"
		   "-j prints one JSON object per line instead: time_ns, old_state, new_state\n"
		   "(as conn show -j names them), reason, local_addr, local_port, peer_addr,\n"
		   "peer_port.  When the kernel drops events because they come faster than\n"
		   "they are read, a warning goes to stderr and monitoring goes on.\n";
}

}  // namespace

const Object &monitor_object()
{
	static const Object obj{
		"monitor",
		{{"help", help}},
		watch,
		monitor_usage,
	};
	return obj;
}

}  // namespace alttcpctl
