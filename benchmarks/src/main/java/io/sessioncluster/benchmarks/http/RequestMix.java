package io.sessioncluster.benchmarks.http;

import java.util.random.RandomGenerator;

/**
 * The request mix every configuration gets: by default 80% reads, 15% requests that change one small attribute,
 * 5% new sessions. Shares are in percent, so a draw is one integer comparison.
 */
record RequestMix(int readPercent, int writePercent, int newPercent) {

    static final RequestMix DEFAULT = new RequestMix(80, 15, 5);

    RequestMix {
        if (readPercent < 0 || writePercent < 0 || newPercent < 0 || readPercent + writePercent + newPercent != 100) {
            throw new IllegalArgumentException("request mix must be three shares >= 0 adding up to 100, got "
                    + readPercent + "/" + writePercent + "/" + newPercent);
        }
    }

    Op next(RandomGenerator random) {
        int draw = random.nextInt(100);
        if (draw < readPercent) {
            return Op.READ;
        }
        return draw < readPercent + writePercent ? Op.WRITE : Op.NEW;
    }

    @Override
    public String toString() {
        return readPercent + "% reads, " + writePercent + "% small writes, " + newPercent + "% new sessions";
    }
}
