/* region.h: an actor's UTC offset, inferred from when the actor is active.
 *
 * The input is 24 counts by UTC hour of day, meant to be "active hours":
 * for each UTC hour h, the number of distinct days on which the actor had
 * at least one event in hour h (a burst of 500 events in one hour counts
 * once, so a push storm does not outweigh a habit), and the number of
 * distinct active days. The fit is the maximum likelihood circular shift
 * of a fixed diurnal template (region_template, documented in
 * gha-gold(1)); see region.c for the method. Pure: no I/O, no allocation,
 * deterministic for the same counts. */
#ifndef GHA_GOLD_REGION_H
#define GHA_GOLD_REGION_H

#include <stdint.h>

/* The offsets a fit can return: 24 whole hours, local = UTC + offset.
 * -11, -12 and +14 are the same shifts as +13, +12 and -10. */
#define REGION_OFFSET_MIN (-10)
#define REGION_OFFSET_MAX 13

/* Below these an actor is unknown (no fit is tried). */
#define REGION_MIN_DAYS 2	/* distinct active days */
#define REGION_MIN_HOURS 6	/* active hours (sum of the 24 counts) */
/* A known actor's band must hold at least this share of the posterior. */
#define REGION_MIN_CONFIDENCE 0.5
/* ... and the fit must beat a flat profile by this much log-likelihood
 * per active hour (nats). */
#define REGION_MIN_GAIN 0.1

enum region {
	REGION_UNKNOWN,
	REGION_AMERICAS,	/* UTC-10 .. UTC-3 */
	REGION_EUROPE_AFRICA,	/* UTC-2 .. UTC+3 */
	REGION_ASIA_PACIFIC,	/* UTC+4 .. UTC+13 */
	REGION_N
};

struct region_fit {
	enum region region;	/* REGION_UNKNOWN when not enough data or no clear band */
	int fitted;		/* 1 when the minimums were met and offset/confidence are set */
	int offset;		/* best UTC offset, hours */
	double confidence;	/* posterior share of the best offset's band, 0..1 */
	double offset_share;	/* posterior share of the best offset +-1 hour */
	double gain;		/* (L(best) - L(flat)) / active hours, nats */
};

/* The template: relative activity by LOCAL hour of day (0..23). */
extern const double region_template[24];

/* log 2, log 3, log 5 as the fit uses them (the SQL prints them) */
#define REGION_LOG2 0.69314718055994529
#define REGION_LOG3 1.0986122886681098
#define REGION_LOG5 1.6094379124341003
/* template weight h as exponents of 2, 3, 5; 1, or 0 when it is not such */
int region_weight_exp(int h, int e[3]);
const char *region_name(enum region r);	/* "americas", ..., "unknown" */
enum region region_of_offset(int offset);
void region_infer(const uint32_t hours[24], uint32_t active_days, struct region_fit *fit);

#endif
