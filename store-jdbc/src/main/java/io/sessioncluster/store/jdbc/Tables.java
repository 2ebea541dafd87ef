package io.sessioncluster.store.jdbc;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The three tables of one {@code tableName} prefix, and the SQL templates filled with their names. The prefix is
 * validated to be a plain identifier, so pasting it into SQL is safe; nothing else ever is.
 */
final class Tables {

    static final Pattern PREFIX = Pattern.compile("[A-Za-z][A-Za-z0-9_]{0,39}");

    private final String prefix;

    Tables(String prefix) {
        if (!PREFIX.matcher(prefix).matches()) {
            throw new IllegalArgumentException("not a table name prefix: " + prefix);
        }
        this.prefix = prefix;
    }

    String sessions() {
        return prefix + "_sessions";
    }

    String attributes() {
        return prefix + "_attributes";
    }

    String evictions() {
        return prefix + "_evictions";
    }

    /** The template with {@code {sessions}}, {@code {attributes}} and {@code {evictions}} replaced. */
    String sql(String template) {
        return template.replace("{sessions}", sessions()).replace("{attributes}", attributes())
                .replace("{evictions}", evictions());
    }

    /** The DDL statements of {@code schema-<dialect>.sql} for this prefix, comments dropped. */
    List<String> ddl(Dialect dialect) {
        String resource = "schema-" + dialect.name() + ".sql";
        String script;
        try (InputStream in = Tables.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + resource);
            }
            script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        StringBuilder body = new StringBuilder();
        for (String line : script.split("\n")) {
            if (!line.strip().startsWith("--")) {
                body.append(line).append('\n');
            }
        }
        List<String> statements = new ArrayList<>();
        for (String statement : body.toString().replace("${table}", prefix).split(";")) {
            if (!statement.isBlank()) {
                statements.add(statement.strip());
            }
        }
        return statements;
    }
}
