package io.sessioncluster.tomcat;

import org.apache.catalina.authenticator.SavedRequest;
import org.apache.tomcat.util.buf.ByteChunk;

import jakarta.servlet.http.Cookie;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes {@code FormAuthenticator}'s saved request field by field through its public accessors, the same on Tomcat
 * 10.1 and 11, so that a login begun on one node can be finished on another, even of the other Tomcat line. No class
 * name is written, so nothing here can make the reading node instantiate anything but a {@link SavedRequest}, its
 * cookies and its locales.
 */
final class SavedRequestFormat {

    private SavedRequestFormat() {
    }

    static void write(SavedRequest saved, AuthBytes.Out out) throws IOException {
        List<Cookie> cookies = list(saved.getCookies());
        out.count(cookies.size());
        for (Cookie cookie : cookies) {
            out.string(cookie.getName());
            out.string(cookie.getValue());
            Map<String, String> attributes = cookie.getAttributes();
            out.count(attributes.size());
            for (Map.Entry<String, String> attribute : attributes.entrySet()) {
                out.string(attribute.getKey());
                out.string(attribute.getValue());
            }
        }
        List<String> headerNames = list(saved.getHeaderNames());
        out.count(headerNames.size());
        for (String name : headerNames) {
            out.string(name);
            List<String> values = list(saved.getHeaderValues(name));
            out.count(values.size());
            for (String value : values) {
                out.string(value);
            }
        }
        List<Locale> locales = list(saved.getLocales());
        out.count(locales.size());
        for (Locale locale : locales) {
            out.string(locale.toLanguageTag());
        }
        out.string(saved.getMethod());
        out.string(saved.getQueryString());
        out.string(saved.getRequestURI());
        out.string(saved.getDecodedRequestURI());
        ByteChunk body = saved.getBody();
        out.bytes(body == null ? null : Arrays.copyOfRange(body.getBuffer(), body.getStart(), body.getEnd()));
        out.string(saved.getContentType());
        Integer interval = saved.getOriginalMaxInactiveIntervalOptional();
        out.flag(interval != null);
        if (interval != null) {
            out.integer(interval.intValue());
        }
    }

    /** @throws AuthBytes.Malformed if the bytes do not describe a saved request */
    static SavedRequest read(AuthBytes.In in) throws IOException {
        SavedRequest saved = new SavedRequest();
        int cookies = in.count();
        for (int i = 0; i < cookies; i++) {
            Cookie cookie = cookie(in.requiredString(), in.string());
            int attributes = in.count();
            for (int j = 0; j < attributes; j++) {
                String name = in.requiredString();
                String value = in.string();
                try {
                    cookie.setAttribute(name, value);
                } catch (IllegalArgumentException e) {
                    throw new AuthBytes.Malformed("cookie attribute [" + name + "]: " + e.getMessage());
                }
            }
            saved.addCookie(cookie);
        }
        int headers = in.count();
        for (int i = 0; i < headers; i++) {
            String name = in.requiredString();
            int values = in.count();
            for (int j = 0; j < values; j++) {
                saved.addHeader(name, in.requiredString());
            }
        }
        int locales = in.count();
        for (int i = 0; i < locales; i++) {
            saved.addLocale(Locale.forLanguageTag(in.requiredString()));
        }
        saved.setMethod(in.string());
        saved.setQueryString(in.string());
        saved.setRequestURI(in.string());
        saved.setDecodedRequestURI(in.string());
        byte[] body = in.bytes();
        if (body != null) {
            ByteChunk chunk = new ByteChunk();
            chunk.setBytes(body, 0, body.length);
            saved.setBody(chunk);
        }
        saved.setContentType(in.string());
        if (in.flag()) {
            saved.setOriginalMaxInactiveInterval(in.integer());
        }
        return saved;
    }

    private static Cookie cookie(String name, String value) throws AuthBytes.Malformed {
        try {
            return new Cookie(name, value);
        } catch (IllegalArgumentException e) {
            throw new AuthBytes.Malformed("cookie name: " + e.getMessage());
        }
    }

    private static <T> List<T> list(Iterator<T> items) {
        List<T> list = new ArrayList<>();
        items.forEachRemaining(list::add);
        return list;
    }
}
