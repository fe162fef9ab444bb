// The counters, named by the kernel's own AT_MIBS list (kmod/core) so the
// names and ids here cannot drift from the module's; stats_table.cc checks
// that list against enum alttcp_mib at compile time.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include <linux/alttcp.h>

namespace alttcpctl {

// Ids 0 .. kNumCounters - 1, as ALTTCP_MIB_*.
inline constexpr std::size_t kNumCounters = __ALTTCP_MIB_MAX;

// "ActiveOpens" and so on, in uapi order.
const char *counter_name(std::size_t id);

// The id of the counter called name (ASCII case ignored, as nstat users type
// "tw" or "TW"), else nullopt.
std::optional<std::size_t> find_counter(const std::string &name);

// One GET_STATS snapshot; counters the kernel did not send (an older
// module) are left empty.
struct Stats {
	std::array<std::optional<uint64_t>, kNumCounters> values{};
};

}  // namespace alttcpctl
