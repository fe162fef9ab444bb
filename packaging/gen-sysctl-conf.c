// SPDX-License-Identifier: GPL-2.0
/*
 * Prints the example /etc/sysctl.d/60-alttcp.conf.  It is expanded from
 * AT_PARAMS, the one list of the module's tunables, at build time so that a
 * parameter added to (or re-defaulted in) the module cannot be missing or
 * stale in the example.
 *
 *   cc -I kmod/core -o gen-sysctl-conf packaging/gen-sysctl-conf.c
 */
#include <stdio.h>

#include "params.h"

static void param(const char *name, int def, int min, int max)
{
	if (def == AT_DEFAULT_MEMORY) {
		/* No one number is right: it is computed per machine. */
		printf("\n# %d .. %d; the default is sized from the machine's memory\n"
		       "#net.alttcp.%s =\n", min, max, name);
		return;
	}
	printf("\n# %d .. %d\n#net.alttcp.%s = %d\n", min, max, name, def);
}

int main(void)
{
	fputs("# alttcp tunables (sysctl.d(5)).  Every net.alttcp.* key is listed,\n"
	      "# commented out, with the module's default and inclusive bounds;\n"
	      "# uncomment a line to change it.  A value out of bounds is refused.\n"
	      "#\n"
	      "# The keys exist only while the module is loaded, so besides the\n"
	      "# boot-time pass of systemd-sysctl, /etc/modprobe.d/alttcp.conf\n"
	      "# applies them again each time the module is loaded.  They set the\n"
	      "# initial network namespace; a new namespace starts from the\n"
	      "# defaults.  See alttcpctl(8), \"config\".\n"
	      "#\n"
	      "# Generated from the module's parameter list (kmod/core/params.h).\n",
	      stdout);
#define X(name, attr, def, min, max) param(#name, def, min, max);
	AT_PARAMS(X)
#undef X
	/* The pair and the triple, kept out of AT_PARAMS by the module as well. */
	printf("\n# %d .. %d each, low <= high\n#net.alttcp.local_port_range = %d %d\n",
	       AT_PORT_RANGE_MIN, AT_PORT_RANGE_MAX,
	       AT_PORT_RANGE_DEFAULT_LOW, AT_PORT_RANGE_DEFAULT_HIGH);
	printf("\n# bytes, %d .. %d each, min <= default <= max\n#net.alttcp.rmem = %d %d %d\n",
	       AT_BUF_BOUND_MIN, AT_BUF_BOUND_MAX, AT_RMEM_DEFAULT_MIN,
	       AT_RMEM_DEFAULT_DEFAULT, AT_RMEM_DEFAULT_MAX);
	return fflush(stdout) != 0 || ferror(stdout) ? 1 : 0;
}
