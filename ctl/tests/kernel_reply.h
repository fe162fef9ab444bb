// Builds GET_CONFIG replies the way the module does (nla_nest_start with
// NLA_F_NESTED, nla_put_u32, nla_put_u16), independently of encode_config.
#pragma once

#include <netlink/attr.h>
#include <netlink/msg.h>

#include "config_codec.h"
#include "nl_ptr.h"
#include "param_table.h"

namespace alttcpctl::test {

// Linux-like defaults, with memory-derived ones as on a 4 GiB machine.
inline Config sample_config()
{
	Config c;
	const uint32_t v[kNumParams] = {6, 5, 60, 60, 16384, 2, 1, 1, 256, 4096, 0, 0,
					16384, 7200, 75, 9, 3, 15, 0, 1, 1, 200, 120000, 1000};
	for (std::size_t i = 0; i < kNumParams; i++)
		c.values[i] = v[i];
	c.port_range = PortRange{32768, 60999};
	c.rmem = BufSizes{4096, 131072, 6291456};
	return c;
}

inline const char kSampleText[] =
	"syn_retries 6\n"
	"synack_retries 5\n"
	"fin_timeout 60\n"
	"tw_timeout 60\n"
	"max_tw_buckets 16384\n"
	"tw_reuse 2\n"
	"timestamps 1\n"
	"syncookies 1\n"
	"max_syn_backlog 256\n"
	"somaxconn 4096\n"
	"abort_on_overflow 0\n"
	"orphan_retries 0\n"
	"max_orphans 16384\n"
	"keepalive_time 7200\n"
	"keepalive_intvl 75\n"
	"keepalive_probes 9\n"
	"retries1 3\n"
	"retries2 15\n"
	"rfc1337 0\n"
	"window_scaling 1\n"
	"sack 1\n"
	"rto_min_ms 200\n"
	"rto_max_ms 120000\n"
	"rto_initial_ms 1000\n"
	"local_port_range 32768\t60999\n"
	"rmem 4096\t131072\t6291456\n";

inline const char kSampleJson[] =
	"{\"syn_retries\":6,\"synack_retries\":5,\"fin_timeout\":60,\"tw_timeout\":60,"
	"\"max_tw_buckets\":16384,\"tw_reuse\":2,\"timestamps\":1,\"syncookies\":1,"
	"\"max_syn_backlog\":256,\"somaxconn\":4096,\"abort_on_overflow\":0,"
	"\"orphan_retries\":0,\"max_orphans\":16384,\"keepalive_time\":7200,"
	"\"keepalive_intvl\":75,\"keepalive_probes\":9,\"retries1\":3,\"retries2\":15,"
	"\"rfc1337\":0,\"window_scaling\":1,\"sack\":1,\"rto_min_ms\":200,"
	"\"rto_max_ms\":120000,\"rto_initial_ms\":1000,\"local_port_range\":[32768,60999],"
	"\"rmem\":[4096,131072,6291456]}\n";

// Attribute stream of a reply carrying every attribute in uapi order (the
// order the kernel's enum has, not the tool's table order).
inline Bytes kernel_reply(const Config &c)
{
	NlMsgPtr m(nlmsg_alloc());
	nlattr *cfg = nla_nest_start(m.get(), ALTTCP_A_CONFIG | NLA_F_NESTED);
	for (int attr = ALTTCP_CFG_SYN_RETRIES; attr <= ALTTCP_CFG_MAX; attr++) {
		if (attr == ALTTCP_CFG_LOCAL_PORT_RANGE) {
			nlattr *pr = nla_nest_start(m.get(), attr | NLA_F_NESTED);
			nla_put_u16(m.get(), ALTTCP_PORT_RANGE_LOW, c.port_range->low);
			nla_put_u16(m.get(), ALTTCP_PORT_RANGE_HIGH, c.port_range->high);
			nla_nest_end(m.get(), pr);
			continue;
		}
		if (attr == ALTTCP_CFG_RMEM) {
			nlattr *buf = nla_nest_start(m.get(), attr | NLA_F_NESTED);
			nla_put_u32(m.get(), ALTTCP_BUF_MIN, c.rmem->min);
			nla_put_u32(m.get(), ALTTCP_BUF_DEFAULT, c.rmem->def);
			nla_put_u32(m.get(), ALTTCP_BUF_MAX, c.rmem->max);
			nla_nest_end(m.get(), buf);
			continue;
		}
		for (std::size_t i = 0; i < kNumParams; i++)
			if (kParams[i].attr == attr)
				nla_put_u32(m.get(), attr, *c.values[i]);
	}
	nla_nest_end(m.get(), cfg);
	nlmsghdr *h = nlmsg_hdr(m.get());
	auto *d = static_cast<uint8_t *>(nlmsg_data(h));
	return Bytes(d, d + nlmsg_datalen(h));
}

}  // namespace alttcpctl::test
