#include "version_codec.h"

#include <linux/alttcp.h>

#include "attrs.h"
#include "error.h"

namespace alttcpctl {

std::string decode_version(const Bytes &attrs)
{
	AttrStream s(attrs);
	nlattr *top[ALTTCP_A_MAX + 1];
	if (nla_parse(top, ALTTCP_A_MAX, s.head(), s.len(), nullptr) < 0)
		throw Error("malformed reply from kernel");
	const nlattr *a = top[ALTTCP_A_VERSION];
	if (!a)
		throw Error("malformed reply from kernel: no version");
	std::string v = attr_string(a);
	// nla_put_string puts the text and its NUL.
	if (v.empty() || v.size() >= static_cast<std::size_t>(nla_len(a)))
		throw Error("malformed reply from kernel: bad version");
	return v;
}

}  // namespace alttcpctl
