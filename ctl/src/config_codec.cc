#include "config_codec.h"

#include <netlink/attr.h>

#include "error.h"
#include "nl_ptr.h"

namespace alttcpctl {

namespace {

void check(int rc)
{
	if (rc < 0)
		throw Error("cannot build netlink message: " + std::string(nl_geterror(rc)));
}

// The kernel's strict validation insists on NLA_F_NESTED, and not every libnl
// release sets it in nla_nest_start.
nlattr *nest_start(nl_msg *m, int type)
{
	nlattr *n = nla_nest_start(m, type | NLA_F_NESTED);
	if (!n)
		check(-NLE_NOMEM);
	return n;
}

const nlattr *require_len(const nlattr *a, int len, const char *name)
{
	if (a && nla_len(a) < len)
		throw Error(std::string("malformed reply from kernel: short ") + name);
	return a;
}

}  // namespace

Bytes encode_config(const Config &c)
{
	NlMsgPtr msg(nlmsg_alloc());
	if (!msg)
		check(-NLE_NOMEM);
	nlattr *cfg = nest_start(msg.get(), ALTTCP_A_CONFIG);
	for (std::size_t i = 0; i < kNumParams; i++)
		if (c.values[i])
			check(nla_put_u32(msg.get(), kParams[i].attr, *c.values[i]));
	if (c.port_range) {
		nlattr *pr = nest_start(msg.get(), ALTTCP_CFG_LOCAL_PORT_RANGE);
		check(nla_put_u16(msg.get(), ALTTCP_PORT_RANGE_LOW, c.port_range->low));
		check(nla_put_u16(msg.get(), ALTTCP_PORT_RANGE_HIGH, c.port_range->high));
		check(nla_nest_end(msg.get(), pr));
	}
	if (c.rmem) {
		// All three, always: the kernel rejects a partial triple.
		nlattr *buf = nest_start(msg.get(), ALTTCP_CFG_RMEM);
		check(nla_put_u32(msg.get(), ALTTCP_BUF_MIN, c.rmem->min));
		check(nla_put_u32(msg.get(), ALTTCP_BUF_DEFAULT, c.rmem->def));
		check(nla_put_u32(msg.get(), ALTTCP_BUF_MAX, c.rmem->max));
		check(nla_nest_end(msg.get(), buf));
	}
	check(nla_nest_end(msg.get(), cfg));

	nlmsghdr *hdr = nlmsg_hdr(msg.get());
	auto *data = static_cast<const uint8_t *>(nlmsg_data(hdr));
	return Bytes(data, data + nlmsg_datalen(hdr));
}

Config decode_config(const Bytes &attrs)
{
	// nla_parse wants a mutable, 4-byte aligned buffer; a copy gives both.
	std::vector<uint32_t> buf((attrs.size() + 3) / 4);
	if (!attrs.empty())
		std::copy(attrs.begin(), attrs.end(), reinterpret_cast<uint8_t *>(buf.data()));
	auto *head = reinterpret_cast<nlattr *>(buf.data());

	nlattr *top[ALTTCP_A_MAX + 1];
	if (nla_parse(top, ALTTCP_A_MAX, head, static_cast<int>(attrs.size()), nullptr) < 0)
		throw Error("malformed reply from kernel");
	if (!top[ALTTCP_A_CONFIG])
		throw Error("malformed reply from kernel: no configuration");

	nlattr *cfg[ALTTCP_CFG_MAX + 1];
	if (nla_parse_nested(cfg, ALTTCP_CFG_MAX, top[ALTTCP_A_CONFIG], nullptr) < 0)
		throw Error("malformed reply from kernel: bad configuration nest");

	Config c;
	for (std::size_t i = 0; i < kNumParams; i++) {
		const nlattr *a = require_len(cfg[kParams[i].attr], 4, kParams[i].name);
		if (a)
			c.values[i] = nla_get_u32(const_cast<nlattr *>(a));
	}
	if (nlattr *pr_nest = cfg[ALTTCP_CFG_LOCAL_PORT_RANGE]) {
		nlattr *pr[ALTTCP_PORT_RANGE_MAX + 1];
		if (nla_parse_nested(pr, ALTTCP_PORT_RANGE_MAX, pr_nest, nullptr) < 0 ||
		    !require_len(pr[ALTTCP_PORT_RANGE_LOW], 2, kPortRangeName) ||
		    !require_len(pr[ALTTCP_PORT_RANGE_HIGH], 2, kPortRangeName))
			throw Error("malformed reply from kernel: bad local_port_range");
		c.port_range = PortRange{nla_get_u16(pr[ALTTCP_PORT_RANGE_LOW]),
					 nla_get_u16(pr[ALTTCP_PORT_RANGE_HIGH])};
	}
	if (nlattr *buf_nest = cfg[ALTTCP_CFG_RMEM]) {
		nlattr *buf[ALTTCP_BUF_ATTR_MAX + 1];
		if (nla_parse_nested(buf, ALTTCP_BUF_ATTR_MAX, buf_nest, nullptr) < 0 ||
		    !require_len(buf[ALTTCP_BUF_MIN], 4, kRmemName) ||
		    !require_len(buf[ALTTCP_BUF_DEFAULT], 4, kRmemName) ||
		    !require_len(buf[ALTTCP_BUF_MAX], 4, kRmemName))
			throw Error("malformed reply from kernel: bad rmem");
		c.rmem = BufSizes{nla_get_u32(buf[ALTTCP_BUF_MIN]), nla_get_u32(buf[ALTTCP_BUF_DEFAULT]),
				  nla_get_u32(buf[ALTTCP_BUF_MAX])};
	}
	return c;
}

}  // namespace alttcpctl
