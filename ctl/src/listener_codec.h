// Per-listener override rules <-> ALTTCP_A_LISTENER nests.  Pure.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include <linux/alttcp.h>

#include "transport.h"

namespace alttcpctl {

struct ListenerKnob {
	const char *name;  // as the sysctl it overrides
	int attr;          // ALTTCP_LISTENER_*
};

// In uapi order.
inline constexpr ListenerKnob kListenerKnobs[] = {
	{"synack_retries", ALTTCP_LISTENER_SYNACK_RETRIES},
	{"tw_timeout", ALTTCP_LISTENER_TW_TIMEOUT},
	{"orphan_retries", ALTTCP_LISTENER_ORPHAN_RETRIES},
	{"keepalive_time", ALTTCP_LISTENER_KEEPALIVE_TIME},
	{"keepalive_intvl", ALTTCP_LISTENER_KEEPALIVE_INTVL},
	{"keepalive_probes", ALTTCP_LISTENER_KEEPALIVE_PROBES},
};
inline constexpr std::size_t kNumListenerKnobs = sizeof(kListenerKnobs) / sizeof(kListenerKnobs[0]);
static_assert(ALTTCP_LISTENER_KEEPALIVE_PROBES == ALTTCP_LISTENER_MAX,
	      "a new ALTTCP_LISTENER_* needs a row in kListenerKnobs");

// Used both ways: SET sends what is present (ALTTCP_OVERRIDE_UNSET drops an
// override), GET fills what the rule overrides.
struct ListenerRule {
	uint16_t port = 0;
	std::optional<uint32_t> addr;  // be32; absent or 0: any address
	std::array<std::optional<uint32_t>, kNumListenerKnobs> values{};
};

// One ALTTCP_A_LISTENER nest: port, the address when set, then each value.
Bytes encode_listener_rule(const ListenerRule &r);

// Every ALTTCP_A_LISTENER nest of a GET_LISTENER reply, in order.  A rule
// without a port, a short payload or a truncated nest throws Error.
std::vector<ListenerRule> decode_listener_rules(const Bytes &attrs);

}  // namespace alttcpctl
