// Compiled, never run: the build fails if the uapi header is not C++.
#include <linux/alttcp.h>

static_assert(IPPROTO_ALTTCP < 263 && IPPROTO_ALTTCP != 262,
              "inet_create() rejects protocols >= IPPROTO_MAX; 262 is MPTCP");

// Appended attributes keep the numbers of the ones before them.
static_assert(ALTTCP_CFG_RMEM == ALTTCP_CFG_RTO_INITIAL_MS + 1,
              "ALTTCP_CFG_RMEM was appended to enum alttcp_cfg_attr");
static_assert(ALTTCP_BUF_MIN == 1 && ALTTCP_BUF_DEFAULT == 2 && ALTTCP_BUF_MAX == 3 &&
                  ALTTCP_BUF_ATTR_MAX == ALTTCP_BUF_MAX,
              "enum alttcp_buf_attr numbers MIN DEFAULT MAX from 1");

int uapi_header_check_cxx();
int uapi_header_check_cxx()
{
  return ALTTCP_STATE_CLOSING + ALTTCP_PORT_RANGE_MAX + ALTTCP_CFG_RMEM + ALTTCP_BUF_ATTR_MAX;
}
