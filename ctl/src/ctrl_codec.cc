#include "ctrl_codec.h"

#include <linux/genetlink.h>

#include "attrs.h"
#include "error.h"

namespace alttcpctl {

Bytes encode_getfamily(const std::string &family)
{
	AttrBuilder b;
	b.put_string(CTRL_ATTR_FAMILY_NAME, family);
	return b.bytes();
}

std::optional<uint32_t> find_mcast_group(const Bytes &reply, const std::string &group)
{
	AttrStream s(reply);
	nlattr *top[CTRL_ATTR_MAX + 1];
	if (nla_parse(top, CTRL_ATTR_MAX, s.head(), s.len(), nullptr) < 0)
		throw Error("malformed reply from the generic netlink controller");
	if (!top[CTRL_ATTR_MCAST_GROUPS])
		return std::nullopt;
	// A list of nests (numbered 1, 2...), each a name and an id.
	for (const nlattr *g : nested_attrs(top[CTRL_ATTR_MCAST_GROUPS], "multicast groups")) {
		std::optional<std::string> name;
		std::optional<uint32_t> id;
		for (const nlattr *a : nested_attrs(g, "multicast group")) {
			if (nla_type(a) == CTRL_ATTR_MCAST_GRP_NAME)
				name = attr_string(a);
			else if (nla_type(a) == CTRL_ATTR_MCAST_GRP_ID)
				id = attr_u32(a, "multicast group id");
		}
		if (name == group && id)
			return id;
	}
	return std::nullopt;
}

}  // namespace alttcpctl
