package io.sessioncluster.benchmarks.http;

/** The kinds of request of the workload, as the application's {@code op} parameter names them. */
enum Op {
    /** Reads the user and the cart, changes nothing. */
    READ("read"),
    /** Changes one small attribute ({@code lastPage}). */
    WRITE("write"),
    /** Starts a new session and fills it with the whole shop session (about 5 KB). */
    NEW("new"),
    /** Changes one cart item in place, without {@code setAttribute} (as legacy pages do). */
    MUTATE("mutate");

    final String param;

    Op(String param) {
        this.param = param;
    }
}
