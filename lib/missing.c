/* missing.c: hours GH Archive never had, so a 404 for them is a known gap,
 * not an error. From the project's issue tracker (GitHub or crawler
 * downtime): igrigorik/gharchive.org issues 164, 200/204, 260/261, and the
 * June 2025 gap. The end of the 2021 window is approximate. */
#include "gha.h"
#include "timefmt.h"

static const char *const ranges[][2] = {
	{ "2016-10-21-18", "2016-10-21-18" },
	{ "2018-10-21-23", "2018-10-22-1" },
	{ "2021-10-22-5", "2021-10-26-23" },
	{ "2025-06-12-17", "2025-06-12-18" },
};

int
hour_known_missing(int64_t hour)
{
	size_t i;

	for (i = 0; i < sizeof(ranges) / sizeof(ranges[0]); i++) {
		int64_t lo, hi;

		if (hour_parse(ranges[i][0], &lo) == 0 && hour_parse(ranges[i][1], &hi) == 0 &&
		    hour >= lo && hour <= hi)
			return 1;
	}
	return 0;
}
