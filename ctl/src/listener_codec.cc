#include "listener_codec.h"

#include "attrs.h"
#include "error.h"

namespace alttcpctl {

Bytes encode_listener_rule(const ListenerRule &r)
{
	AttrBuilder b;
	nlattr *nest = b.nest_start(ALTTCP_A_LISTENER);
	b.put_u16(ALTTCP_LISTENER_PORT, r.port);
	if (r.addr)
		b.put_be32(ALTTCP_LISTENER_ADDR, *r.addr);
	for (std::size_t i = 0; i < kNumListenerKnobs; i++)
		if (r.values[i])
			b.put_u32(kListenerKnobs[i].attr, *r.values[i]);
	b.nest_end(nest);
	return b.bytes();
}

namespace {

ListenerRule decode_rule(const nlattr *nest)
{
	ListenerRule r;
	bool have_port = false;
	for (const nlattr *a : nested_attrs(nest, "listener rule")) {
		int type = nla_type(a);
		if (type == ALTTCP_LISTENER_PORT) {
			r.port = attr_u16(a, "listener port");
			have_port = true;
		} else if (type == ALTTCP_LISTENER_ADDR) {
			r.addr = attr_u32(a, "listener address");
		} else {
			for (std::size_t i = 0; i < kNumListenerKnobs; i++)
				if (kListenerKnobs[i].attr == type)
					r.values[i] = attr_u32(a, kListenerKnobs[i].name);
		}
	}
	if (!have_port)
		throw Error("malformed reply from kernel: listener rule without a port");
	return r;
}

}  // namespace

std::vector<ListenerRule> decode_listener_rules(const Bytes &attrs)
{
	AttrStream s(attrs);
	std::vector<ListenerRule> rules;
	nlattr *a;
	int rem;
	nla_for_each_attr(a, s.head(), s.len(), rem) {
		if (nla_type(a) == ALTTCP_A_LISTENER)
			rules.push_back(decode_rule(a));
	}
	if (rem >= NLA_HDRLEN)
		throw Error("malformed reply from kernel: truncated listener rules");
	return rules;
}

}  // namespace alttcpctl
