package io.sessioncluster.core.config;

import java.util.List;

/**
 * The configuration is invalid. The message lists every problem, one per line, each naming the
 * setting, the bad value (masked for secrets) and what is allowed.
 */
public final class ConfigException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final List<String> problems;

    public ConfigException(String heading, List<String> problems) {
        super(heading + ":\n  - " + String.join("\n  - ", problems));
        this.problems = List.copyOf(problems);
    }

    /** One entry per problem, in the order found. */
    public List<String> problems() {
        return problems;
    }
}
