package io.sessioncluster.core;

/**
 * What a change set does to the principal name its session is indexed under (the user's sessions index,
 * {@link io.sessioncluster.core.store.SessionStore#sessionsOf}): nothing ({@link #UNCHANGED}), index it under a
 * name ({@link #to}) or take it out of the index ({@link #CLEARED}, a log-out).
 *
 * @param changed true if the change set changes the name
 * @param name    the new name, or null when {@code changed} is false or the name is cleared
 */
public record PrincipalChange(boolean changed, String name) {

    /** The longest name a store indexes: a longer one is refused here, so every backend can keep it in a column. */
    public static final int MAX_NAME_LENGTH = 256;

    public static final PrincipalChange UNCHANGED = new PrincipalChange(false, null);
    public static final PrincipalChange CLEARED = new PrincipalChange(true, null);

    public PrincipalChange {
        if (name != null) {
            requireIndexable(name);
            if (!changed) {
                throw new IllegalArgumentException("an unchanged principal carries no name");
            }
        }
    }

    /** Indexes the session under {@code name}: 1 to {@value #MAX_NAME_LENGTH} characters. */
    public static PrincipalChange to(String name) {
        return new PrincipalChange(true, requireIndexable(name));
    }

    /** True if a store can index this name; the Tomcat layer leaves other names out of the index. */
    public static boolean isIndexable(String name) {
        return name != null && !name.isEmpty() && name.length() <= MAX_NAME_LENGTH;
    }

    /** The name, or an {@link IllegalArgumentException} that says why it cannot be indexed. */
    public static String requireIndexable(String name) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("a principal name must not be empty");
        }
        if (name.length() > MAX_NAME_LENGTH) {
            throw new IllegalArgumentException("a principal name is at most " + MAX_NAME_LENGTH + " characters, not "
                    + name.length());
        }
        return name;
    }

    @Override
    public String toString() {
        return !changed ? "unchanged" : name == null ? "cleared" : "set";
    }
}
