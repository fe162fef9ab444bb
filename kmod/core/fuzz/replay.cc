// SPDX-License-Identifier: GPL-2.0
// The main of the coverage build: runs a target over files and
// directories of inputs, as libFuzzer's -runs=0 would, without libFuzzer
// (whose own code would otherwise be in the profile).
#include <dirent.h>
#include <sys/stat.h>

#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
extern "C" int LLVMFuzzerInitialize(int *argc, char ***argv) __attribute__((weak));

static long runs;

static void RunFile(const std::string &path)
{
	FILE *f = fopen(path.c_str(), "rb");
	std::vector<uint8_t> buf;
	uint8_t chunk[4096];
	size_t n;

	if (!f) {
		perror(path.c_str());
		return;
	}
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf.insert(buf.end(), chunk, chunk + n);
	fclose(f);
	LLVMFuzzerTestOneInput(buf.data(), buf.size());
	runs++;
}

static void RunPath(const std::string &path)
{
	struct stat st;

	if (stat(path.c_str(), &st))
		return;
	if (!S_ISDIR(st.st_mode)) {
		RunFile(path);
		return;
	}
	DIR *d = opendir(path.c_str());
	if (!d)
		return;
	std::vector<std::string> names;
	while (struct dirent *e = readdir(d))
		if (e->d_name[0] != '.')
			names.push_back(e->d_name);
	closedir(d);
	for (auto &name : names)
		RunPath(path + "/" + name);
}

int main(int argc, char **argv)
{
	if (LLVMFuzzerInitialize)
		LLVMFuzzerInitialize(&argc, &argv);
	for (int i = 1; i < argc; i++)
		RunPath(argv[i]);
	printf("%ld inputs replayed\n", runs);
	return 0;
}
