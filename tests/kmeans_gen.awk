# kmeans_gen.awk: synthetic data for the gha-kmeans tests, as COPY text.
#   awk -v n=ROWS -v k=CLUSTERS -v d=FEATURES -v sd=SPREAD -v gap=GAP -v seed=S
# Cluster c's centre is gap * (a pseudo-random point in [0,1]^d); each row
# is a centre plus Gaussian noise of deviation sd (Box-Muller). The random
# numbers are Park and Miller's generator, exact in doubles, so every awk
# (mawk, gawk, busybox) writes the same bytes. Columns: id, f0..f(d-1),
# truth (the generating cluster).
function uni() { state = (state * 16807) % 2147483647; return state / 2147483647 }
function gauss() { return sqrt(-2 * log(1 - uni() + 1e-300)) * cos(6.283185307179586 * uni()) }
BEGIN {
	state = seed + 12345
	for (c = 0; c < k; c++)
		for (j = 0; j < d; j++)
			cen[c, j] = gap * uni()
	printf "id"
	for (j = 0; j < d; j++)
		printf "\tf%d", j
	printf "\ttruth\n"
	for (i = 0; i < n; i++) {
		c = i % k
		printf "r%d", i
		for (j = 0; j < d; j++)
			printf "\t%.6f", cen[c, j] + sd * gauss()
		printf "\t%d\n", c
	}
}
