package io.sessioncluster.benchmarks.http;

import java.util.random.RandomGenerator;

/**
 * The request mix every configuration gets: by default 80% reads, 15% requests that change one small attribute,
 * 5% new sessions; optionally a fourth share of requests that change a cart item in place without
 * {@code setAttribute}. Shares are in percent, so a draw is one integer comparison.
 */
record RequestMix(int readPercent, int writePercent, int newPercent, int mutatePercent) {

    static final RequestMix DEFAULT = new RequestMix(80, 15, 5, 0);

    RequestMix {
        if (readPercent < 0 || writePercent < 0 || newPercent < 0 || mutatePercent < 0
                || readPercent + writePercent + newPercent + mutatePercent != 100) {
            throw new IllegalArgumentException("request mix must be shares >= 0 adding up to 100, got "
                    + readPercent + "/" + writePercent + "/" + newPercent + "/" + mutatePercent);
        }
    }

    RequestMix(int readPercent, int writePercent, int newPercent) {
        this(readPercent, writePercent, newPercent, 0);
    }

    /** Every request of one kind. */
    static RequestMix only(Op op) {
        return new RequestMix(op == Op.READ ? 100 : 0, op == Op.WRITE ? 100 : 0, op == Op.NEW ? 100 : 0,
                op == Op.MUTATE ? 100 : 0);
    }

    /** {@code --mix=80/15/5} or {@code 70/15/5/10}: reads, small writes, new sessions, in-place changes, in percent. */
    static RequestMix parse(String text) {
        String[] parts = text.split("/");
        if (parts.length != 3 && parts.length != 4) {
            throw new IllegalArgumentException("--mix is read/write/new[/mutate] in percent, e.g. 80/15/5, got "
                    + text);
        }
        try {
            return new RequestMix(Integer.parseInt(parts[0].strip()), Integer.parseInt(parts[1].strip()),
                    Integer.parseInt(parts[2].strip()), parts.length == 4 ? Integer.parseInt(parts[3].strip()) : 0);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--mix is read/write/new[/mutate] in percent, e.g. 80/15/5, got "
                    + text, e);
        }
    }

    Op next(RandomGenerator random) {
        int draw = random.nextInt(100);
        if (draw < readPercent) {
            return Op.READ;
        }
        if (draw < readPercent + writePercent) {
            return Op.WRITE;
        }
        return draw < readPercent + writePercent + newPercent ? Op.NEW : Op.MUTATE;
    }

    @Override
    public String toString() {
        return readPercent + "% reads, " + writePercent + "% small writes, " + newPercent + "% new sessions"
                + (mutatePercent == 0 ? "" : ", " + mutatePercent + "% in-place changes of a cart item (no setAttribute)");
    }
}
