#include "stats_cmd.h"

#include <algorithm>

#include "client.h"
#include "error.h"
#include "transport.h"
#include "writer.h"

namespace alttcpctl {

void write_stats(Writer &w, const Stats &s, const std::vector<std::size_t> &ids)
{
	w.begin_object();
	for (std::size_t i = 0; i < kNumCounters; i++) {
		if (!s.values[i])
			continue;
		if (!ids.empty() && std::find(ids.begin(), ids.end(), i) == ids.end())
			continue;
		w.field_uint(counter_name(i), *s.values[i]);
	}
	w.end_object();
}

std::vector<std::size_t> parse_counter_names(const Args &args)
{
	std::vector<std::size_t> ids;
	for (const std::string &a : args) {
		std::optional<std::size_t> id = find_counter(a);
		if (!id)
			throw Error("unknown counter \"" + a + "\"");
		ids.push_back(*id);
	}
	std::sort(ids.begin(), ids.end());
	ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
	return ids;
}

void stats_usage(std::ostream &out)
{
	out << "  stats [show [NAME...]]              print every counter, or the NAMEd ones\n"
	       "  stats { reset | -z | --zero }       zero every counter but CurrEstab\n"
	       "  stats help                          list the counter NAMEs\n";
}

namespace {

void show(Context &ctx, const Args &args)
{
	// Names first, so typos are caught without the module.
	std::vector<std::size_t> ids = parse_counter_names(args);
	auto t = ctx.connect(ctx.opts);
	Stats s = Client(*t).get_stats();
	write_stats(*output_writer(ctx, kCounterNameWidth), s, ids);
}

void reset(Context &ctx, const Args &args)
{
	if (!args.empty())
		throw UsageError("unexpected argument \"" + args[0] + "\"", "stats");
	auto t = ctx.connect(ctx.opts);
	Client(*t).reset_stats();
}

void help(Context &ctx, const Args &)
{
	ctx.out << "Usage: alttcpctl [OPTIONS] stats { show [NAME...] | reset | -z | --zero | help }\n";
	stats_usage(ctx.out);
	ctx.out << "\nNAME is one of (case does not matter):\n";
	for (std::size_t i = 0; i < kNumCounters; i++)
		ctx.out << "  " << counter_name(i) << '\n';
	ctx.out << "\nEach line of text output is a NAME padded to " << kCounterNameWidth
		<< " columns, then its value;\n"
		   "-j prints one JSON object instead.  CurrEstab is a gauge; the others count\n"
		   "up from the creation of the namespace or the last reset.\n";
}

}  // namespace

const Object &stats_object()
{
	static const Object obj{
		"stats",
		{{"show", show}, {"reset", reset}, {"help", help}, {"-z", reset}, {"--zero", reset}},
		show,
		stats_usage,
	};
	return obj;
}

}  // namespace alttcpctl
