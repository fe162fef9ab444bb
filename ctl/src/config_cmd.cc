#include "config_cmd.h"

#include "client.h"
#include "config_args.h"
#include "error.h"
#include "transport.h"
#include "writer.h"

namespace alttcpctl {

void write_config(Writer &w, const Config &c)
{
	w.begin_object();
	for (std::size_t i = 0; i < kNumParams; i++)
		if (c.values[i])
			w.field_uint(kParams[i].name, *c.values[i]);
	if (c.port_range)
		w.field_uint_list(kPortRangeName, {c.port_range->low, c.port_range->high});
	if (c.rmem)
		w.field_uint_list(kRmemName, {c.rmem->min, c.rmem->def, c.rmem->max});
	w.end_object();
}

void config_usage(std::ostream &out)
{
	out << "  config [show]                       print every parameter\n"
	       "  config set NAME VALUE [NAME VALUE...]\n"
	       "                                      change parameters: all are applied or none\n"
	       "  config help                         list the parameter NAMEs\n";
}

namespace {

void no_args(const Args &args)
{
	if (!args.empty())
		throw UsageError("unexpected argument \"" + args[0] + "\"", "config");
}

void show(Context &ctx, const Args &args)
{
	no_args(args);
	auto t = ctx.connect(ctx.opts);
	Config c = Client(*t).get_config();
	write_config(*output_writer(ctx), c);
}

void set(Context &ctx, const Args &args)
{
	// Names and syntax first, so typos are caught without the module.
	Config c = parse_set_args(args);
	auto t = ctx.connect(ctx.opts);
	Client(*t).set_config(c);
}

void help(Context &ctx, const Args &)
{
	ctx.out << "Usage: alttcpctl [OPTIONS] config { show | set NAME VALUE [NAME VALUE...] | help }\n";
	config_usage(ctx.out);
	ctx.out << "\nNAME is one of (each also /proc/sys/net/alttcp/NAME):\n";
	for (const ParamInfo &p : kParams)
		ctx.out << "  " << p.name << '\n';
	ctx.out << "  " << kPortRangeName << "    VALUE is LOW-HIGH or LOW:HIGH\n"
		<< "  " << kRmemName << "                VALUE is \"MIN DEFAULT MAX\", in bytes\n"
		   "\nVALUE is a decimal number; its allowed range is checked by the kernel.\n";
}

}  // namespace

const Object &config_object()
{
	static const Object obj{
		"config",
		{{"show", show}, {"set", set}, {"help", help}},
		show,
		config_usage,
	};
	return obj;
}

}  // namespace alttcpctl
