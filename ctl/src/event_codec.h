// ALTTCP_CMD_EVENT notifications -> Event, and the reasons' names.  Pure.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "transport.h"

namespace alttcpctl {

struct Event {
	uint8_t old_state = 0, new_state = 0;  // ALTTCP_STATE_*
	uint16_t reason = 0;                   // enum at_reason
	uint32_t laddr = 0, raddr = 0;         // be32
	uint16_t lport = 0, rport = 0;
	std::optional<uint64_t> time_ns;       // CLOCK_REALTIME
};

// Reads the ALTTCP_A_EVENT nest; pads and unknown attributes are skipped.
// No old or new state, a short payload or a truncated nest throws Error.
Event decode_event(const Bytes &attrs);

// "app_close" and so on from the core's AT_REASONS; "reason#N" for a number
// this tool does not know.
std::string reason_name(uint16_t reason);

}  // namespace alttcpctl
