package io.sessioncluster.examples.demo;

/** The cluster did not behave as the walkthrough expects. */
final class WalkthroughFailure extends RuntimeException {

    private static final long serialVersionUID = 1L;

    WalkthroughFailure(String message) {
        super(message);
    }
}
