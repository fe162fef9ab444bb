// Compiled, never run: the build fails if the uapi header is not C++.
#include <linux/alttcp.h>

static_assert(IPPROTO_ALTTCP < 263 && IPPROTO_ALTTCP != 262,
              "inet_create() rejects protocols >= IPPROTO_MAX; 262 is MPTCP");

int uapi_header_check_cxx();
int uapi_header_check_cxx()
{
  return ALTTCP_STATE_CLOSING + ALTTCP_PORT_RANGE_MAX;
}
