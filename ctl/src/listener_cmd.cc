#include "listener_cmd.h"

#include "client.h"
#include "config_args.h"
#include "error.h"
#include "inet.h"
#include "transport.h"
#include "writer.h"

namespace alttcpctl {

namespace {

const char kObject[] = "listener";

int find_knob(const std::string &name)
{
	for (std::size_t i = 0; i < kNumListenerKnobs; i++)
		if (name == kListenerKnobs[i].name)
			return static_cast<int>(i);
	return -1;
}

}  // namespace

ListenerRule parse_listener_set_args(const Args &args)
{
	if (args.empty())
		throw UsageError("listener set needs a PORT", kObject);
	ListenerRule r;
	r.port = parse_port(args[0], "port", kObject);
	std::size_t i = 1;
	if (i < args.size() && args[i] == "addr") {
		if (i + 1 >= args.size())
			throw UsageError("missing value after \"addr\"", kObject);
		const std::string &a = args[i + 1];
		if (a != "*") {
			r.addr = parse_ipv4(a);
			if (!r.addr)
				throw UsageError("invalid address \"" + a + "\"", kObject);
		} else {
			r.addr = 0;
		}
		i += 2;
	}
	if (i >= args.size())
		throw UsageError("listener set needs NAME VALUE", kObject);
	for (; i < args.size(); i += 2) {
		int k = find_knob(args[i]);
		if (k < 0)
			throw UsageError("unknown parameter \"" + args[i] + "\"", kObject);
		if (i + 1 >= args.size())
			throw UsageError("missing value for " + args[i], kObject);
		const std::string &v = args[i + 1];
		r.values[k] = v == "default" ? ALTTCP_OVERRIDE_UNSET
					     : static_cast<uint32_t>(parse_unsigned(
						       v, args[i], ALTTCP_OVERRIDE_UNSET - 1));
	}
	return r;
}

void write_listener_rules(Writer &w, const std::vector<ListenerRule> &rules, bool json)
{
	w.begin_array();
	for (const ListenerRule &r : rules) {
		w.begin_object();
		w.field_uint("port", r.port);
		uint32_t addr = r.addr.value_or(0);
		w.field_string("addr", addr ? format_ipv4(addr) : json ? "0.0.0.0" : "*");
		for (std::size_t i = 0; i < kNumListenerKnobs; i++)
			if (r.values[i])
				w.field_uint(kListenerKnobs[i].name, *r.values[i]);
		w.end_object();
	}
	w.end_array();
}

void listener_usage(std::ostream &out)
{
	out << "  listener [show]                     print the override rules\n"
	       "  listener set PORT [addr ADDR] NAME VALUE [NAME VALUE...]\n"
	       "                                      override NAMEs for the listeners on PORT\n"
	       "  listener help                       list the NAMEs\n";
}

namespace {

void show(Context &ctx, const Args &args)
{
	if (!args.empty())
		throw UsageError("unexpected argument \"" + args[0] + "\"", kObject);
	auto t = ctx.connect(ctx.opts);
	std::vector<ListenerRule> rules = Client(*t).get_listeners();
	auto w = ctx.opts.json ? make_json_writer(ctx.out, ctx.opts.pretty) : make_line_writer(ctx.out);
	write_listener_rules(*w, rules, ctx.opts.json);
}

void set(Context &ctx, const Args &args)
{
	ListenerRule r = parse_listener_set_args(args);
	auto t = ctx.connect(ctx.opts);
	Client(*t).set_listener(r);
}

void help(Context &ctx, const Args &)
{
	ctx.out << "Usage: alttcpctl [OPTIONS] listener { show | set PORT [addr ADDR] NAME VALUE... | help }\n";
	listener_usage(ctx.out);
	ctx.out << "\nNAME is one of (each overrides the config parameter of the same name):\n";
	for (const ListenerKnob &k : kListenerKnobs)
		ctx.out << "  " << k.name << '\n';
	ctx.out << "\n"
		   "VALUE is a decimal number, checked by the kernel against the parameter's\n"
		   "bounds, or \"default\" to drop the override; a rule left with no override is\n"
		   "removed.  Without addr (or with addr *) the rule covers every address; a rule\n"
		   "for the listener's own address wins over it.  Rules reach connections\n"
		   "accepted after they are set.\n"
		   "\n"
		   "show prints one line per rule, e.g. \"port 8080 addr * synack_retries 1\";\n"
		   "-j prints an array of objects with the same keys (addr \"0.0.0.0\" for any).\n";
}

}  // namespace

const Object &listener_object()
{
	static const Object obj{
		"listener",
		{{"show", show}, {"set", set}, {"help", help}},
		show,
		listener_usage,
	};
	return obj;
}

}  // namespace alttcpctl
