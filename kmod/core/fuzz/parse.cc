// SPDX-License-Identifier: GPL-2.0
// The TCP header and option parser, at_parse_tcp_header(), and the writer.
//
// Input: a TCP header with options and payload, as on the wire (the
// libFuzzer buffer is exactly that long, so ASan sees any read past it).
// Checked: the header is taken exactly when the data offset fits; the
// fields and the payload are where the header says; the options are what
// the independent reference parser of invariants.h reads; and what
// at_write_tcp_header() writes of them parses back to the same.
#include "harness.h"

using namespace fz;

namespace {

uint32_t Get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

void Expect(bool ok, const char *what, const at_opts *a = nullptr, const at_opts *b = nullptr)
{
	if (ok)
		return;
	std::string s = what;
	if (a)
		s += "\n  got  " + inv::OptsStr(*a);
	if (b)
		s += "\n  want " + inv::OptsStr(*b);
	Die(s);
}

// Written options parse back as they were; too many do not fit at all.
void RoundTrip(const at_seg &seg)
{
	at_out out{};
	uint8_t buf[64];

	out.tuple.lport = seg.tuple.rport;
	out.tuple.rport = seg.tuple.lport;
	out.seq = seg.seq;
	out.ack = seg.ack;
	out.flags = seg.flags;
	out.window = seg.window;
	out.opt = seg.opt;
	uint32_t olen = at_opts_len(&out.opt);
	int n = at_write_tcp_header(&out, buf, sizeof(buf));
	Expect((n < 0) == (olen > 40), "at_write_tcp_header refused a header that fits, or wrote one that does not");
	if (n < 0)
		return;
	Expect((uint32_t)n == 20 + olen && n % 4 == 0, "written header length");
	Expect(at_write_tcp_header(&out, buf, (uint32_t)n - 1) < 0, "header written into too small a buffer");
	at_seg back;
	Expect(at_parse_tcp_header(buf, (uint32_t)n, &back) == 0, "a written header does not parse");
	Expect(back.seq == seg.seq && back.ack == seg.ack && back.flags == seg.flags &&
	       back.window == seg.window && back.tuple.rport == seg.tuple.rport &&
	       back.tuple.lport == seg.tuple.lport && back.len == 0,
	       "header fields do not round-trip");
	Expect(inv::SameOpts(back.opt, seg.opt), "options do not round-trip", &back.opt, &seg.opt);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	at_seg seg;
	uint32_t len = (uint32_t)std::min<size_t>(size, 0xffff);
	int rc = at_parse_tcp_header(data, len, &seg);
	uint32_t doff = len > 12 ? (data[12] >> 4) * 4u : 0;
	bool fits = len >= 20 && doff >= 20 && doff <= len;

	Expect((rc == 0) == fits, "header taken or refused against its data offset");
	if (rc)
		return 0;
	Expect(seg.data == data + doff && seg.len == len - doff, "payload is not where the data offset says");
	Expect(seg.tuple.rport == (data[0] << 8 | data[1]) && seg.tuple.lport == (data[2] << 8 | data[3]) &&
	       seg.seq == Get32(data + 4) && seg.ack == Get32(data + 8) &&
	       seg.flags == (data[13] & 0x3f) && seg.window == (data[14] << 8 | data[15]) &&
	       seg.urg == (data[18] << 8 | data[19]),
	       "header fields");
	Expect(!seg.has_isn_hint, "the parser set an ISN hint");
	at_opts want = inv::RefParse(data + 20, doff - 20);
	Expect(inv::SameOpts(seg.opt, want), "options differ from the reference parser", &seg.opt, &want);
	Expect(seg.opt.wscale <= AT_MAX_WSCALE && seg.opt.nr_sack <= AT_MAX_SACK &&
	       !(seg.opt.present & ~(AT_OPT_MSS | AT_OPT_WSCALE | AT_OPT_TS | AT_OPT_SACK_OK)),
	       "option values out of range");
	RoundTrip(seg);
	return 0;
}

namespace {

std::vector<uint8_t> Header(const std::vector<uint8_t> &opts, uint8_t flags, size_t payload)
{
	size_t olen = (opts.size() + 3) & ~(size_t)3;
	std::vector<uint8_t> p(20 + olen + payload, 0);

	p[0] = 0x30;
	p[1] = 0x39;
	p[3] = 80;
	p[4] = 0x12;
	p[7] = 0x34;
	p[11] = 1;
	p[12] = (uint8_t)((20 + olen) / 4 << 4);
	p[13] = flags;
	p[14] = 0xff;
	p[15] = 0xff;
	std::copy(opts.begin(), opts.end(), p.begin() + 20);
	for (size_t i = 0; i < payload; i++)
		p[20 + olen + i] = (uint8_t)i;
	return p;
}

Seeds MakeSeeds()
{
	std::vector<uint8_t> sack4 = {1, 1, 5, 34};
	for (int i = 0; i < 32; i++)
		sack4.push_back((uint8_t)(i * 7));

	return {
		{"bare", Header({}, AT_ACK, 0)},
		{"syn-linux", Header({2, 4, 5, 180, 4, 2, 8, 10, 0, 0, 1, 0, 0, 0, 0, 0, 1, 3, 3, 7}, AT_SYN, 0)},
		{"synack-all", Header({2, 4, 5, 180, 1, 3, 3, 14, 4, 2, 8, 10, 0, 0, 0, 9, 0, 0, 0, 1}, AT_SYN | AT_ACK, 0)},
		{"data-ts-sack", Header({1, 1, 8, 10, 0, 0, 1, 0, 0, 0, 2, 0, 1, 1, 5, 18, 0, 0, 0, 1, 0, 0, 0, 9,
					 0, 0, 1, 0, 0, 0, 2, 0}, AT_ACK | AT_PSH, 100)},
		{"sack4", Header(sack4, AT_ACK, 0)},
		{"malformed", Header({2, 0, 3, 1, 8, 9, 1, 2, 5, 11, 99, 2, 0}, AT_ACK, 3)},
		{"short", std::vector<uint8_t>(19, 0)},
		{"doff-too-big", [] { auto h = Header({}, AT_ACK, 0); h[12] = 0xf0; return h; }()},
	};
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int *, char ***)
{
	MaybeWriteSeeds(MakeSeeds());
	return 0;
}
