// Connection states (ALTTCP_STATE_*, numbered as Linux's TCP_*) by the
// names people already know: `ss` for text and filters, the uapi enum's for
// JSON.  Pure.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <linux/alttcp.h>

namespace alttcpctl {

// Bit (1 << ALTTCP_STATE_*) of every state, as ALTTCP_FILTER_STATES.
inline constexpr uint32_t kAllStates = ((1u << __ALTTCP_STATE_MAX) - 1) & ~1u;

// As `ss` prints it: "ESTAB", "SYN-RECV", "FIN-WAIT-1", "CLOSED", "LISTEN"...;
// an unknown number is "state#N".
std::string state_text(unsigned state);

// The uapi enum name without its prefix: "ESTABLISHED", "SYN_RECV",
// "FIN_WAIT1", "CLOSE", "LISTEN"...; an unknown number is "state#N".
std::string state_enum_name(unsigned state);

// A `state` filter word, ASCII case ignored, -> its bit mask: the names
// `ss` takes (established, syn-sent, syn-recv, fin-wait-1, fin-wait-2,
// time-wait, closed, close-wait, last-ack, listening, closing), the short
// forms estab, close and listen, the uapi names (syn_recv, fin_wait1...),
// and the groups of `ss`: all; connected (all but listening and closed);
// synchronized (connected but syn-sent).  nullopt for anything else.
std::optional<uint32_t> parse_state_word(const std::string &word);

}  // namespace alttcpctl
