package io.sessioncluster.examples.boot;

import java.util.List;

/**
 * {@link FormLoginFailoverIT} with {@code codec=java}, which also replicates a failed login's exception: the other
 * instance shows its message, and the store holds it without the typed password.
 */
class FormLoginFailoverJavaCodecIT extends FormLoginFailoverIT {

    @Override
    List<String> codecArgs() {
        return List.of("--session-cluster.settings.codec=java");
    }

    @Override
    boolean replicatesExceptions() {
        return true;
    }
}
