#include "options.h"

#include "dispatch.h"
#include "error.h"

namespace alttcpctl {

namespace {

const std::vector<std::string> kLongOptions = {"json", "pretty", "extended", "info",
						    "netns", "help", "version"};

void apply(Options &o, char opt)
{
	switch (opt) {
	case 'j': o.json = true; break;
	case 'p': o.pretty = true; o.json = true; break;
	case 'e': o.extended = true; break;
	case 'i': o.info = true; break;
	case 'h': o.help = true; break;
	case 'V': o.version = true; break;
	}
}

std::string take_netns(const std::vector<std::string> &args, std::size_t &i,
		       const std::string &spelling)
{
	if (i + 1 >= args.size() || args[i + 1].empty())
		throw UsageError("option " + spelling + " needs a namespace NAME");
	return args[++i];
}

void parse_long(Options &o, const std::vector<std::string> &args, std::size_t &i)
{
	auto [name, value, has_value] = match_long_option(args[i], kLongOptions);

	if (name == "netns") {
		if (has_value && value.empty())
			throw UsageError("option --netns needs a namespace NAME");
		o.netns = has_value ? value : take_netns(args, i, "--netns");
		return;
	}
	if (has_value)
		throw UsageError("option --" + name + " takes no value");
	apply(o, name == "version" ? 'V' : name[0]);
}

// Bundled short options as getopt does: -jp, -ei, -nNAME, -n NAME.
void parse_short(Options &o, const std::vector<std::string> &args, std::size_t &i)
{
	const std::string &word = args[i];
	for (std::size_t k = 1; k < word.size(); k++) {
		char c = word[k];
		if (c == 'n') {
			o.netns = k + 1 < word.size() ? word.substr(k + 1) : take_netns(args, i, "-n");
			return;
		}
		if (c != 'j' && c != 'p' && c != 'e' && c != 'i' && c != 'h' && c != 'V')
			throw UsageError(std::string("unknown option \"-") + c + "\"");
		apply(o, c);
	}
}

}  // namespace

LongOption match_long_option(const std::string &arg, const std::vector<std::string> &names,
			     const std::string &object)
{
	LongOption opt;
	std::string word = arg.substr(2);
	auto eq = word.find('=');

	if (eq != std::string::npos) {
		opt.value = word.substr(eq + 1);
		word.resize(eq);
		opt.has_value = true;
	}
	try {
		opt.name = names[match_prefix(word, names, "option")];
	} catch (const UsageError &) {
		throw UsageError("unknown option \"" + arg + "\"", object);
	}
	return opt;
}

ParsedCommandLine parse_options(const std::vector<std::string> &args)
{
	ParsedCommandLine r;
	std::size_t i = 0;
	for (; i < args.size(); i++) {
		const std::string &a = args[i];
		if (a == "--") {
			i++;
			break;
		}
		if (a.size() < 2 || a[0] != '-')
			break;
		if (a[1] == '-')
			parse_long(r.opts, args, i);
		else
			parse_short(r.opts, args, i);
	}
	r.rest.assign(args.begin() + static_cast<std::ptrdiff_t>(i), args.end());
	return r;
}

}  // namespace alttcpctl
