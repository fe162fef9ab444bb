#include "conn_filter.h"

#include <linux/alttcp.h>

#include "attrs.h"
#include "error.h"
#include "inet.h"
#include "tcp_states.h"

namespace alttcpctl {

namespace {

const char kObject[] = "conn";

const std::string &value_of(const std::vector<std::string> &args, std::size_t &i)
{
	if (i + 1 >= args.size())
		throw UsageError("missing value after \"" + args[i] + "\"", kObject);
	return args[++i];
}

template <typename T>
void set_once(std::optional<T> &slot, T v, const std::string &what)
{
	if (slot && *slot != v)
		throw UsageError(what + " given twice", kObject);
	slot = v;
}

void set_endpoint(const Endpoint &e, std::optional<uint32_t> &addr, std::optional<uint16_t> &port,
		  const std::string &what)
{
	if (e.addr)
		set_once(addr, *e.addr, what + " address");
	if (e.port)
		set_once(port, *e.port, what + " port");
}

}  // namespace

ConnFilter parse_conn_filter(const std::vector<std::string> &args)
{
	ConnFilter f;
	for (std::size_t i = 0; i < args.size(); i++) {
		const std::string &w = args[i];
		if (w == "state") {
			const std::string &v = value_of(args, i);
			std::optional<uint32_t> mask = parse_state_word(v);
			if (!mask)
				throw UsageError("unknown state \"" + v + "\"", kObject);
			f.states = f.states.value_or(0) | *mask;
		} else if (w == "src") {
			set_endpoint(parse_endpoint(value_of(args, i), "source", kObject), f.laddr,
				     f.lport, "source");
		} else if (w == "dst") {
			set_endpoint(parse_endpoint(value_of(args, i), "destination", kObject),
				     f.raddr, f.rport, "destination");
		} else if (w == "sport" || w == "dport") {
			std::string v = value_of(args, i);
			if (!v.empty() && v[0] == ':')  // ss writes "sport = :80"
				v.erase(0, 1);
			bool src = w == "sport";
			uint16_t p = parse_port(v, src ? "source port" : "destination port", kObject);
			set_once(src ? f.lport : f.rport, p, src ? "source port" : "destination port");
		} else {
			throw UsageError("unknown filter word \"" + w + "\"", kObject);
		}
	}
	return f;
}

bool is_filter_word(const std::string &w)
{
	return w == "state" || w == "src" || w == "dst" || w == "sport" || w == "dport";
}

Bytes encode_conn_filter(const ConnFilter &f)
{
	if (f.empty())
		return {};
	AttrBuilder b;
	nlattr *nest = b.nest_start(ALTTCP_A_FILTER);
	if (f.states)
		b.put_u32(ALTTCP_FILTER_STATES, *f.states);
	if (f.laddr)
		b.put_be32(ALTTCP_FILTER_LADDR, *f.laddr);
	if (f.lport)
		b.put_u16(ALTTCP_FILTER_LPORT, *f.lport);
	if (f.raddr)
		b.put_be32(ALTTCP_FILTER_RADDR, *f.raddr);
	if (f.rport)
		b.put_u16(ALTTCP_FILTER_RPORT, *f.rport);
	b.nest_end(nest);
	return b.bytes();
}

}  // namespace alttcpctl
