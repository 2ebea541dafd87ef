package io.sessioncluster.benchmarks.http;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The cookies of one virtual user, by name ({@code JSESSIONID} for Tomcat's managers, {@code SESSION} for Spring
 * Session): what a browser would send back. Attributes after the first {@code ;} are ignored; an expired or empty
 * value deletes the cookie.
 */
final class CookieJar {

    private final Map<String, String> cookies = new LinkedHashMap<>();
    private String header = "";

    void accept(String setCookie) {
        int semi = setCookie.indexOf(';');
        String pair = semi < 0 ? setCookie : setCookie.substring(0, semi);
        int eq = pair.indexOf('=');
        if (eq <= 0) {
            return;
        }
        String name = pair.substring(0, eq).trim();
        String value = pair.substring(eq + 1).trim();
        if (value.isEmpty() || setCookie.toLowerCase(java.util.Locale.ROOT).contains("max-age=0")) {
            cookies.remove(name);
        } else {
            cookies.put(name, value);
        }
        rebuild();
    }

    void clear() {
        cookies.clear();
        header = "";
    }

    boolean isEmpty() {
        return cookies.isEmpty();
    }

    String header() {
        return header;
    }

    private void rebuild() {
        StringBuilder sb = new StringBuilder();
        cookies.forEach((name, value) -> {
            if (sb.length() > 0) {
                sb.append("; ");
            }
            sb.append(name).append('=').append(value);
        });
        header = sb.toString();
    }
}
