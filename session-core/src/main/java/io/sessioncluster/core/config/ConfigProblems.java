package io.sessioncluster.core.config;

import java.util.ArrayList;
import java.util.List;

/** Collects every configuration problem so that one error names them all. */
final class ConfigProblems {

    private final List<String> problems = new ArrayList<>();

    void add(String problem) {
        problems.add(problem);
    }

    int count() {
        return problems.size();
    }

    void throwIfAny(String heading) {
        if (!problems.isEmpty()) {
            throw new ConfigException(heading, problems);
        }
    }
}
