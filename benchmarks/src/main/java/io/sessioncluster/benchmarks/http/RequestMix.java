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

    /** {@code --mix=80/15/5}: reads, small writes and new sessions, in percent. */
    static RequestMix parse(String text) {
        String[] parts = text.split("/");
        if (parts.length != 3) {
            throw new IllegalArgumentException("--mix is read/write/new in percent, e.g. 80/15/5, got " + text);
        }
        try {
            return new RequestMix(Integer.parseInt(parts[0].strip()), Integer.parseInt(parts[1].strip()),
                    Integer.parseInt(parts[2].strip()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--mix is read/write/new in percent, e.g. 80/15/5, got " + text, e);
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
