// The `listener` object: per-listener overrides of some tunables, for the
// listeners on a port (and address), applied to the connections they make.
#pragma once

#include <ostream>
#include <vector>

#include "dispatch.h"
#include "listener_codec.h"

namespace alttcpctl {

class Writer;

const Object &listener_object();

void listener_usage(std::ostream &out);

// `listener set` arguments: PORT [addr ADDR] NAME VALUE [NAME VALUE...],
// VALUE a decimal u32 below ALTTCP_OVERRIDE_UNSET or "default" (which
// sends ALTTCP_OVERRIDE_UNSET).  Bounds are the kernel's to check.
// Throws UsageError, or Error for a bad VALUE (as config set does).
ListenerRule parse_listener_set_args(const Args &args);

// One record per rule: port, addr, then what it overrides in uapi order.
// The text writer gets "*" for any address, JSON "0.0.0.0".
void write_listener_rules(Writer &w, const std::vector<ListenerRule> &rules, bool json);

}  // namespace alttcpctl
