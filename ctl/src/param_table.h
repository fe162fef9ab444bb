// The parameter table, expanded from the kernel's own AT_PARAMS so the names
// and attribute numbers here cannot drift from the module's.  Bounds are
// deliberately not used: range checking is the kernel's job.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

#include <linux/alttcp.h>
#include <params.h>

namespace alttcpctl {

struct ParamInfo {
	const char *name;
	int attr;  // ALTTCP_CFG_*
};

inline constexpr ParamInfo kParams[] = {
#define ALTTCPCTL_PARAM(name, ATTR, def, min, max) {#name, ALTTCP_CFG_##ATTR},
	AT_PARAMS(ALTTCPCTL_PARAM)
#undef ALTTCPCTL_PARAM
};
inline constexpr std::size_t kNumParams = sizeof(kParams) / sizeof(kParams[0]);

// local_port_range is the one pair, kept out of AT_PARAMS by the kernel too.
inline constexpr const char *kPortRangeName = "local_port_range";

// A new ALTTCP_CFG_* in the uapi without a row in AT_PARAMS (or the reverse)
// must break the build rather than silently vanish from the tool.
static_assert(kNumParams + 1 == ALTTCP_CFG_MAX,
	      "AT_PARAMS and enum alttcp_cfg_attr disagree");

struct PortRange {
	uint16_t low = 0;
	uint16_t high = 0;
	bool operator==(const PortRange &o) const { return low == o.low && high == o.high; }
};

// Used both ways: a GET reply fills what the kernel sent, a SET request holds
// only what the user named.  Index i of values is kParams[i].
struct Config {
	std::array<std::optional<uint32_t>, kNumParams> values{};
	std::optional<PortRange> port_range;
};

// Index into kParams, or -1.  Exact names only: these are sysctl names and a
// prefix would silently change a different knob as the table grows.
inline int find_param(std::string_view name)
{
	for (std::size_t i = 0; i < kNumParams; i++)
		if (name == kParams[i].name)
			return static_cast<int>(i);
	return -1;
}

}  // namespace alttcpctl
