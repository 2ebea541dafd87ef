package io.sessioncluster.spring.boot;

import io.sessioncluster.core.codec.ClassAllowList;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The {@code session-cluster.*} properties turned into manager settings ({@code context.xml} attribute name to
 * text), remembering which property each came from so that an error message can name the property the user wrote.
 * Values are not checked here: the manager checks them, with the messages it gives for {@code context.xml}.
 */
final class ResolvedSettings {

    static final String PREFIX = "session-cluster.";
    private static final String STORE = "store";
    private static final String ALLOWED_CLASSES = "allowedClasses";
    static final String PRINCIPAL_ATTRIBUTE = "principalAttribute";
    /** Where Spring Security's {@code HttpSessionSecurityContextRepository} keeps the security context. */
    static final String SPRING_SECURITY_CONTEXT = "SPRING_SECURITY_CONTEXT";
    /** What a session id may carry after its dot: {@code SessionIds} refuses anything else. */
    private static final Pattern ROUTE = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    private final Map<String, String> values;
    private final Map<String, String> sources;
    private final List<String> problems;

    private ResolvedSettings(Map<String, String> values, Map<String, String> sources, List<String> problems) {
        this.values = Collections.unmodifiableMap(values);
        this.sources = Collections.unmodifiableMap(sources);
        this.problems = List.copyOf(problems);
    }

    /**
     * What an auto-configuration installs: setting names as the manager and the stores know them, and the classes
     * Spring Security keeps in the session when {@code classLoader} has it.
     */
    /**
     * @param applicationPackages the application's own packages ({@code AutoConfigurationPackages}: the package of
     *                            its {@code @SpringBootApplication}). In a Boot application its classes sit on the
     *                            class path, not in a {@code WEB-INF/classes} the manager could recognise, so they
     *                            are admitted as {@code package.**}, unless {@code allow-application-classes=false}
     */
    static ResolvedSettings forApplication(SessionClusterProperties properties, List<SpringConnection> springConnections,
                                           ClassLoader classLoader, List<String> applicationPackages) {
        List<String> admitted = new ArrayList<>(SpringSecuritySessionClasses.present(classLoader));
        boolean strict = properties.settings().entrySet().stream()
                .anyMatch(e -> attributeName(e.getKey()).equalsIgnoreCase("allowApplicationClasses")
                        && "false".equals(String.valueOf(e.getValue()).trim()));
        if (!strict) {
            applicationPackages.forEach(pkg -> admitted.add(pkg + ".**"));
        }
        ResolvedSettings resolved = resolve(properties, springConnections, KnownSettingNames.find(), admitted);
        if (SpringSecuritySessionClasses.present(classLoader).isEmpty() || resolved.values.containsKey(PRINCIPAL_ATTRIBUTE)) {
            return resolved;
        }
        // With Spring Security the user is named by its security context, not by a container login: index that.
        Map<String, String> values = new LinkedHashMap<>(resolved.values);
        values.put(PRINCIPAL_ATTRIBUTE, SPRING_SECURITY_CONTEXT);
        return new ResolvedSettings(values, resolved.sources, resolved.problems);
    }

    static ResolvedSettings resolve(SessionClusterProperties properties, List<SpringConnection> springConnections) {
        return resolve(properties, springConnections, Set.of());
    }

    /**
     * @param springConnections the connections the application configured for Spring, which the chosen store reuses
     *                          when given none of its own
     * @param knownNames        setting names whose case is restored when a property lost it (environment variables)
     */
    static ResolvedSettings resolve(SessionClusterProperties properties, List<SpringConnection> springConnections,
                                    Set<String> knownNames) {
        return resolve(properties, springConnections, knownNames, List.of());
    }

    /**
     * @param frameworkClasses class names the application's frameworks keep in the session
     *                         ({@link SpringSecuritySessionClasses}): put before the user's own {@code allowedClasses},
     *                         which add to them
     */
    static ResolvedSettings resolve(SessionClusterProperties properties, List<SpringConnection> springConnections,
                                    Set<String> knownNames, List<String> frameworkClasses) {
        Map<String, String> values = new LinkedHashMap<>();
        Map<String, String> sources = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        if (properties.store() != null) {
            values.put(STORE, properties.store());
            sources.put(STORE, PREFIX + STORE);
        }
        for (Map.Entry<String, String> e : new TreeMap<>(properties.settings()).entrySet()) {
            String property = PREFIX + "settings." + e.getKey();
            String name = withKnownCase(attributeName(e.getKey()), knownNames);
            if (name.equals(STORE)) {
                problems.add(property + ": the store is chosen with " + PREFIX + STORE);
                continue;
            }
            String earlier = sources.putIfAbsent(name, property);
            if (earlier != null) {
                problems.add(property + ": " + name + " is already set by " + earlier);
                continue;
            }
            values.put(name, e.getValue() == null ? "" : e.getValue());
        }
        if (properties.jvmRoute() != null && !ROUTE.matcher(properties.jvmRoute()).matches()) {
            problems.add(PREFIX + "jvm-route [" + properties.jvmRoute()
                    + "]: 1 to 64 characters of A-Z a-z 0-9 _ - (it becomes the suffix of session ids)");
        }
        String store = properties.store() == null ? null : properties.store().trim();
        for (SpringConnection connection : springConnections) {
            if (connection.store().equals(store) && connection.wanted().test(properties)
                    && connection.ownSettings().stream().noneMatch(values::containsKey)) {
                // A setting given explicitly (e.g. jdbcUser) wins over the one of the reused connection.
                connection.settings().get().forEach((name, value) -> {
                    if (!values.containsKey(name)) {
                        values.put(name, value);
                        sources.put(name, connection.source());
                    }
                });
            }
        }
        allowFrameworkClasses(values, frameworkClasses);
        return new ResolvedSettings(values, sources, problems);
    }

    /**
     * A user value the manager would refuse is left as written, so that its message quotes only what the user wrote;
     * the start fails anyway.
     */
    private static void allowFrameworkClasses(Map<String, String> values, List<String> frameworkClasses) {
        if (frameworkClasses.isEmpty()) {
            return;
        }
        String own = values.get(ALLOWED_CLASSES);
        if (own == null || own.isBlank()) {
            values.put(ALLOWED_CLASSES, String.join(",", frameworkClasses));
            return;
        }
        try {
            ClassAllowList.parse(own);
        } catch (IllegalArgumentException e) {
            return;
        }
        values.put(ALLOWED_CLASSES, String.join(",", frameworkClasses) + "," + own);
    }

    private static String withKnownCase(String name, Set<String> knownNames) {
        if (knownNames.contains(name)) {
            return name;
        }
        return knownNames.stream().filter(known -> known.equalsIgnoreCase(name)).findFirst().orElse(name);
    }

    /**
     * {@code redis-uri}, {@code redisUri}, {@code redis_uri} and {@code redis.uri} (an environment variable's
     * underscores, as Boot binds them under a map) all name {@code redisUri}.
     */
    static String attributeName(String key) {
        StringBuilder name = new StringBuilder(key.length());
        boolean upper = false;
        for (char c : key.toCharArray()) {
            if (c == '-' || c == '_' || c == '.') {
                upper = name.length() > 0;
            } else {
                name.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return name.toString();
    }

    /** Attribute name to value, in a stable order: store first. */
    Map<String, String> values() {
        return values;
    }

    /** Problems found before the manager's own validation (two properties naming one setting). */
    List<String> problems() {
        return problems;
    }

    /** The property a setting came from, or null. */
    String source(String attribute) {
        return sources.get(attribute);
    }

    /**
     * The manager's message with each problem line followed by the property it came from:
     * {@code - writeMode [often]: allowed are sync, async (session-cluster.settings.write-mode)}.
     */
    String annotate(String managerMessage) {
        StringBuilder out = new StringBuilder();
        for (String line : managerMessage.split("\n", -1)) {
            if (out.length() > 0) {
                out.append('\n');
            }
            out.append(line);
            String property = propertyOfProblem(line);
            if (property != null) {
                out.append(" (").append(property).append(')');
            }
        }
        return out.toString();
    }

    private String propertyOfProblem(String line) {
        String text = line.strip();
        if (!text.startsWith("- ")) {
            return null;
        }
        text = text.substring(2);
        int end = 0;
        while (end < text.length() && Character.isJavaIdentifierPart(text.charAt(end))) {
            end++;
        }
        String name = text.substring(0, end);
        String property = sources.get(name);
        if (property == null && name.equals(STORE)) {
            return PREFIX + STORE;
        }
        return property;
    }
}
