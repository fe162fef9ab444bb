#include "event_codec.h"

#include <linux/alttcp.h>

#include "attrs.h"
#include "error.h"

// Plain C with an extern "C" guard; included last as in stats_table.cc.
#include <alttcp_core.h>

namespace alttcpctl {

namespace {

constexpr const char *kReasons[] = {
#define ALTTCPCTL_REASON_NAME(id, name) name,
	AT_REASONS(ALTTCPCTL_REASON_NAME)
#undef ALTTCPCTL_REASON_NAME
};
static_assert(sizeof(kReasons) / sizeof(kReasons[0]) == AT_R_MAX);

}  // namespace

std::string reason_name(uint16_t reason)
{
	if (reason < AT_R_MAX)
		return kReasons[reason];
	return "reason#" + std::to_string(reason);
}

Event decode_event(const Bytes &attrs)
{
	AttrStream s(attrs);
	nlattr *top[ALTTCP_A_MAX + 1];
	if (nla_parse(top, ALTTCP_A_MAX, s.head(), s.len(), nullptr) < 0)
		throw Error("malformed event from kernel");
	if (!top[ALTTCP_A_EVENT])
		throw Error("malformed event from kernel: no event");

	Event e;
	bool have_old = false, have_new = false;
	for (const nlattr *a : nested_attrs(top[ALTTCP_A_EVENT], "event")) {
		switch (nla_type(a)) {
		case ALTTCP_EVENT_OLD_STATE: e.old_state = attr_u8(a, "old state"); have_old = true; break;
		case ALTTCP_EVENT_NEW_STATE: e.new_state = attr_u8(a, "new state"); have_new = true; break;
		case ALTTCP_EVENT_REASON: e.reason = attr_u16(a, "reason"); break;
		case ALTTCP_EVENT_LADDR: e.laddr = attr_u32(a, "local address"); break;
		case ALTTCP_EVENT_LPORT: e.lport = attr_u16(a, "local port"); break;
		case ALTTCP_EVENT_RADDR: e.raddr = attr_u32(a, "peer address"); break;
		case ALTTCP_EVENT_RPORT: e.rport = attr_u16(a, "peer port"); break;
		case ALTTCP_EVENT_TIME_NS: e.time_ns = attr_u64(a, "time"); break;
		default: break;  // ALTTCP_EVENT_PAD, or newer than this tool
		}
	}
	if (!have_old || !have_new)
		throw Error("malformed event from kernel: no state");
	return e;
}

}  // namespace alttcpctl
