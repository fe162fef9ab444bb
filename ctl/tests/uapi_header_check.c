/* Compiled, never run: the build fails if the uapi header is not C99. */
#include <linux/alttcp.h>

int uapi_header_check_c(void);
int uapi_header_check_c(void)
{
	return IPPROTO_ALTTCP + ALTTCP_CMD_MAX + ALTTCP_CFG_MAX + __ALTTCP_MIB_MAX +
	       ALTTCP_BUF_ATTR_MAX;
}
