/* anomaly.h: robust z-scores of an hourly series against its trailing
 * window (median and MAD), exact and deterministic.
 *
 * A series is given sparsely: points (pos, value) sorted by pos, where pos
 * counts the hours that are present in the input (an hour with no events
 * at all is not a position: it is missing data, not a zero), and a
 * position without a point has the value 0. The value at pos is scored
 * against the window of the ANOMALY_WINDOW positions before it
 * (pos - ANOMALY_WINDOW .. pos - 1, those >= 0), when at least
 * ANOMALY_MIN_HISTORY of them exist:
 *     baseline = median(window)
 *     mad      = median(|x - baseline| for x in window)
 *     score    = (value - baseline) / (1.4826 * max(mad, ANOMALY_MAD_FLOOR))
 * Counts are integers, so baseline and mad are multiples of 1/4 and exact
 * in a double; the score is one division. See gha-gold(1), ANOMALIES. */
#ifndef GHA_GOLD_ANOMALY_H
#define GHA_GOLD_ANOMALY_H

#include <stddef.h>
#include <stdint.h>

#define ANOMALY_WINDOW 24	/* trailing present hours */
#define ANOMALY_MIN_HISTORY 6	/* present hours needed before scoring */
#define ANOMALY_MAD_SCALE 1.4826	/* MAD -> standard deviation under normality */
#define ANOMALY_MAD_FLOOR 1.0	/* one event: a flat window still has a scale */

struct anomaly_point {
	int64_t pos;
	int64_t value;
};

struct anomaly_stat {
	int scored;		/* 0: too little history; the rest is 0 */
	double baseline, mad, score;
};

/* Score value at pos against pts[0..n) (sorted by pos; points before lo
 * or at or after pos are ignored). */
void anomaly_score(const struct anomaly_point *pts, size_t n, int64_t lo, int64_t pos, int64_t value,
		   struct anomaly_stat *st);

/* The median of v[0..n) (n > 0); reorders v. */
double anomaly_median(double *v, size_t n);

#endif
