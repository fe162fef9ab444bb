#include "dispatch.h"

#include "error.h"

namespace alttcpctl {

std::size_t match_prefix(const std::string &word, const std::vector<std::string> &names,
			 const std::string &what, const std::string &object)
{
	std::vector<std::size_t> hits;
	for (std::size_t i = 0; i < names.size(); i++) {
		if (names[i] == word)
			return i;
		if (!word.empty() && names[i].compare(0, word.size(), word) == 0)
			hits.push_back(i);
	}
	if (hits.size() == 1)
		return hits[0];
	if (hits.empty())
		throw UsageError("unknown " + what + " \"" + word + "\"", object);
	std::string list;
	for (std::size_t i : hits)
		list += (list.empty() ? "" : ", ") + names[i];
	throw UsageError("ambiguous " + what + " \"" + word + "\" (" + list + ")", object);
}

void run_object(const Object &obj, Context &ctx, const Args &args)
{
	if (args.empty() || obj.takes_command ||
	    (obj.starts_default_args && obj.starts_default_args(args[0]))) {
		obj.default_verb(ctx, args);
		return;
	}
	const std::string what = std::string(obj.name) + " command";
	// Verbs spelt as options (`stats -z`, `stats --zero`) must be given in
	// full, so that "-" or "--" never runs one.
	if (args[0].size() > 1 && args[0][0] == '-') {
		for (const Verb &v : obj.verbs)
			if (args[0] == v.name) {
				v.run(ctx, Args(args.begin() + 1, args.end()));
				return;
			}
		throw UsageError("unknown " + what + " \"" + args[0] + "\"", obj.name);
	}
	std::vector<std::string> names;
	std::vector<const Verb *> verbs;
	for (const Verb &v : obj.verbs)
		if (v.name[0] != '-') {
			names.push_back(v.name);
			verbs.push_back(&v);
		}
	std::size_t i = match_prefix(args[0], names, what, obj.name);
	verbs[i]->run(ctx, Args(args.begin() + 1, args.end()));
}

}  // namespace alttcpctl

#include "writer.h"

namespace alttcpctl {

std::unique_ptr<Writer> output_writer(const Context &ctx, std::size_t text_key_width)
{
	if (ctx.opts.json)
		return make_json_writer(ctx.out, ctx.opts.pretty);
	return make_text_writer(ctx.out, text_key_width);
}

}  // namespace alttcpctl
