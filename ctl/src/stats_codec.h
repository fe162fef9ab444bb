// GET_STATS replies -> Stats.  A pure function over the attribute stream
// after the genlmsghdr, like config_codec.h, so it is testable without a
// kernel.  (RESET_STATS and the GET_STATS request carry no attribute.)
#pragma once

#include "stats_table.h"
#include "transport.h"

namespace alttcpctl {

// Reads the ALTTCP_A_STATS nest: ALTTCP_STATS_ATTR(id) holds counter id as a
// u64.  Pad attributes (nla_put_u64_64bit's ALTTCP_STATS_PAD) and ids this
// tool does not know (a newer kernel, whose pad type is higher too) are
// skipped; a counter that is not 8 bytes, or a truncated nest, throws Error.
Stats decode_stats(const Bytes &attrs);

}  // namespace alttcpctl
