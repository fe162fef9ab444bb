#include "config_args.h"

#include <limits>

#include "error.h"

namespace alttcpctl {

namespace {

Error invalid(const std::string &text, const std::string &param)
{
	return Error("invalid value \"" + text + "\" for " + param);
}

}  // namespace

uint64_t parse_unsigned(const std::string &text, const std::string &param, uint64_t max)
{
	// strtoul would accept "-1", " 5" and "0x10"; the kernel's sysctls do
	// not, so neither do we.
	if (text.empty())
		throw invalid(text, param);
	uint64_t v = 0;
	for (char c : text) {
		if (c < '0' || c > '9')
			throw invalid(text, param);
		unsigned d = static_cast<unsigned>(c - '0');
		if (v > (max - d) / 10)
			throw Error("value \"" + text + "\" for " + param +
				    " is too large (at most " + std::to_string(max) + ")");
		v = v * 10 + d;
	}
	return v;
}

PortRange parse_port_range(const std::string &text)
{
	auto sep = text.find_first_of("-:");
	if (sep == std::string::npos || text.find_first_of("-:", sep + 1) != std::string::npos)
		throw Error("invalid value \"" + text + "\" for " + kPortRangeName +
			    " (expected LOW-HIGH or LOW:HIGH)");
	const uint64_t max = std::numeric_limits<uint16_t>::max();
	PortRange r;
	r.low = static_cast<uint16_t>(parse_unsigned(text.substr(0, sep), kPortRangeName, max));
	r.high = static_cast<uint16_t>(parse_unsigned(text.substr(sep + 1), kPortRangeName, max));
	return r;
}

BufSizes parse_buf_sizes(const std::string &text, const char *param)
{
	static const char kBlanks[] = " \t";
	std::vector<std::string> words;
	for (auto start = text.find_first_not_of(kBlanks); start != std::string::npos;) {
		auto end = text.find_first_of(kBlanks, start);
		words.push_back(text.substr(start, end == std::string::npos ? end : end - start));
		start = text.find_first_not_of(kBlanks, end);
	}
	if (words.size() != 3)
		throw Error("invalid value \"" + text + "\" for " + param +
			    " (expected MIN DEFAULT MAX)");
	const uint64_t max = std::numeric_limits<uint32_t>::max();
	BufSizes b;
	b.min = static_cast<uint32_t>(parse_unsigned(words[0], param, max));
	b.def = static_cast<uint32_t>(parse_unsigned(words[1], param, max));
	b.max = static_cast<uint32_t>(parse_unsigned(words[2], param, max));
	return b;
}

Config parse_set_args(const std::vector<std::string> &args)
{
	if (args.empty())
		throw UsageError("config set needs NAME VALUE pairs", "config");
	Config c;
	for (std::size_t i = 0; i < args.size(); i += 2) {
		const std::string &name = args[i];
		bool is_range = name == kPortRangeName;
		bool is_rmem = name == kRmemName;
		int idx = is_range || is_rmem ? -1 : find_param(name);
		if (!is_range && !is_rmem && idx < 0)
			throw Error("unknown parameter \"" + name + "\"");
		if (i + 1 >= args.size())
			throw UsageError("missing value for " + name, "config");
		const std::string &value = args[i + 1];
		// The request is all or none; a repeated name would make the
		// user guess which one wins.
		bool dup = is_range ? c.port_range.has_value()
			 : is_rmem  ? c.rmem.has_value()
				    : c.values[idx].has_value();
		if (dup)
			throw UsageError("parameter " + name + " given more than once", "config");
		if (is_range)
			c.port_range = parse_port_range(value);
		else if (is_rmem)
			c.rmem = parse_buf_sizes(value, kRmemName);
		else
			c.values[idx] = static_cast<uint32_t>(
				parse_unsigned(value, name, std::numeric_limits<uint32_t>::max()));
	}
	return c;
}

}  // namespace alttcpctl
