package io.sessioncluster.tomcat;

import io.sessioncluster.core.codec.AttributeCodec;
import io.sessioncluster.core.codec.CodecException;

import org.apache.catalina.authenticator.SavedRequest;
import org.apache.catalina.Group;
import org.apache.catalina.User;
import org.apache.catalina.realm.GenericPrincipal;
import org.apache.catalina.realm.UserDatabaseRealm;
import org.apache.catalina.users.MemoryUserDatabase;
import org.apache.tomcat.util.buf.ByteChunk;
import org.junit.jupiter.api.Test;

import jakarta.servlet.http.Cookie;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

/** The stored form of a session's authentication state: what it keeps, and what it refuses to read. */
class AuthStateCodecTest {

    /** A realm's own principal class, for the allow-list cases. */
    public record AppPrincipal(String name) implements Principal, Serializable {
        @Override
        public String getName() {
            return name;
        }
    }

    private static AttributeCodec codec(String allowedClasses) {
        return TestCodecs.of(null, "allowedClasses", allowedClasses);
    }

    private final AuthStateCodec strict = new AuthStateCodec(codec(""));

    private static SavedRequest savedRequest() {
        SavedRequest saved = new SavedRequest();
        Cookie cookie = new Cookie("theme", "dark");
        cookie.setAttribute("Path", "/shop");
        saved.addCookie(cookie);
        saved.addCookie(new Cookie("lang", "fr"));
        saved.addHeader("Accept", "text/html");
        saved.addHeader("Accept", "application/xhtml+xml");
        saved.addHeader("User-Agent", "test");
        saved.addLocale(Locale.CANADA_FRENCH);
        saved.addLocale(Locale.ENGLISH);
        saved.setMethod("POST");
        saved.setQueryString("item=42&qty=1");
        saved.setRequestURI("/shop/cart%20page");
        saved.setDecodedRequestURI("/shop/cart page");
        byte[] body = "item=42&note=gr%C3%BC%C3%9F".getBytes(StandardCharsets.US_ASCII);
        ByteChunk chunk = new ByteChunk();
        chunk.setBytes(body, 0, body.length);
        saved.setBody(chunk);
        saved.setContentType("application/x-www-form-urlencoded");
        saved.setOriginalMaxInactiveInterval(1800);
        return saved;
    }

    private static GenericPrincipal principal() {
        return new GenericPrincipal("alice", List.of("manager", "admin"), null, null, null,
                Map.of("mail", "alice@example.com"));
    }

    private static AuthState full() {
        return new AuthState(principal(), "FORM", "ABCDEF0123456789.nodeA", savedRequest());
    }

    @Test
    void aGenericPrincipalKeepsItsNameRolesAndAttributes() {
        AuthState read = strict.decode(strict.encode(full()));

        GenericPrincipal p = (GenericPrincipal) read.principal();
        assertThat(p.getName()).isEqualTo("alice");
        assertThat(p.getRoles()).containsExactly("admin", "manager");
        assertThat(p.hasRole("manager")).isTrue();
        assertThat(p.getAttribute("mail")).isEqualTo("alice@example.com");
        assertThat(read.authType()).isEqualTo("FORM");
        assertThat(read.sessionIdNote()).isEqualTo("ABCDEF0123456789.nodeA");
    }

    @Test
    void theUserDatabaseRealmsPrincipalTravelsAsItsNameAndRolesWithoutTheDatabase() throws Exception {
        MemoryUserDatabase database = new MemoryUserDatabase("users");
        User alice = database.createUser("alice", "secret", "Alice");
        alice.addRole(database.createRole("manager", null));
        Group staff = database.createGroup("staff", null);
        staff.addRole(database.createRole("staff-role", null));
        alice.addGroup(staff);
        Principal fromRealm = new UserDatabaseRealm.UserDatabasePrincipal(alice, database);

        AuthState read = strict.decode(strict.encode(new AuthState(fromRealm, "FORM", null, null)));

        assertThat(read.principal()).isExactlyInstanceOf(GenericPrincipal.class);
        GenericPrincipal p = (GenericPrincipal) read.principal();
        assertThat(p.getName()).isEqualTo("alice");
        assertThat(p.getRoles()).as("roles of the user and of its groups").containsExactlyInAnyOrder("manager", "staff-role");
    }

    @Test
    void theSavedRequestKeepsEverythingFormAuthenticatorReplays() {
        SavedRequest read = strict.decode(strict.encode(full())).savedRequest();
        SavedRequest expected = savedRequest();

        List<Cookie> cookies = Collections.list(Collections.enumeration(toList(read.getCookies())));
        assertThat(cookies).extracting(Cookie::getName, Cookie::getValue)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("theme", "dark"),
                        org.assertj.core.groups.Tuple.tuple("lang", "fr"));
        assertThat(cookies.get(0).getPath()).isEqualTo("/shop");
        assertThat(toList(read.getHeaderValues("Accept"))).containsExactly("text/html", "application/xhtml+xml");
        assertThat(toList(read.getHeaderNames())).containsExactlyInAnyOrderElementsOf(toList(expected.getHeaderNames()));
        assertThat(toList(read.getLocales())).containsExactly(Locale.CANADA_FRENCH, Locale.ENGLISH);
        assertThat(read.getMethod()).isEqualTo("POST");
        assertThat(read.getQueryString()).isEqualTo("item=42&qty=1");
        assertThat(read.getRequestURI()).isEqualTo("/shop/cart%20page");
        assertThat(read.getDecodedRequestURI()).isEqualTo("/shop/cart page");
        assertThat(read.getBody().toString()).isEqualTo(expected.getBody().toString());
        assertThat(read.getContentType()).isEqualTo("application/x-www-form-urlencoded");
        assertThat(read.getOriginalMaxInactiveInterval()).isEqualTo(1800);
    }

    @Test
    void aSavedRequestWithoutBodyOrIntervalStaysWithout() {
        SavedRequest get = new SavedRequest();
        get.setMethod("GET");
        get.setRequestURI("/protected");
        SavedRequest read = strict.decode(strict.encode(new AuthState(null, null, null, get))).savedRequest();

        assertThat(read.getBody()).isNull();
        assertThat(read.getOriginalMaxInactiveIntervalOptional()).isNull();
        assertThat(read.getQueryString()).isNull();
        assertThat(read.getRequestURI()).isEqualTo("/protected");
    }

    @Test
    void anotherPrincipalClassTravelsOnlyWhenTheAllowListAdmitsIt() {
        AuthState custom = new AuthState(new AppPrincipal("bob"), "BASIC", null, null);

        assertThatThrownBy(() -> strict.encode(custom)).isInstanceOf(CodecException.class)
                .satisfies(e -> assertThat(((CodecException) e).reason()).isEqualTo(CodecException.Reason.CLASS_NOT_ALLOWED));

        AuthStateCodec admitting = new AuthStateCodec(codec(AppPrincipal.class.getName()));
        assertThat(admitting.decode(admitting.encode(custom)).principal()).isEqualTo(new AppPrincipal("bob"));
        // Bytes written where it was allowed are refused where it is not: never instantiated.
        assertThatThrownBy(() -> strict.decode(admitting.encode(custom))).isInstanceOf(CodecException.class);
    }

    @Test
    void aGenericPrincipalsRefusedUserPrincipalIsLeftOutButItsLoginTravels() {
        GenericPrincipal wrapping = new GenericPrincipal("carol", List.of("user"), new AppPrincipal("carol"));

        GenericPrincipal read = (GenericPrincipal) strict.decode(strict.encode(
                new AuthState(wrapping, "FORM", null, null))).principal();

        assertThat(read.getName()).isEqualTo("carol");
        assertThat(read.getRoles()).containsExactly("user");
        assertThat(read.getUserPrincipal()).isSameAs(read); // GenericPrincipal answers itself when it wraps nothing
    }

    @Test
    void everyTruncationIsReportedAsCorrupt() {
        byte[] bytes = strict.encode(full());
        for (int length = 0; length < bytes.length; length++) {
            byte[] cut = Arrays.copyOf(bytes, length);
            assertThat(catchThrowable(() -> strict.decode(cut)))
                    .as("truncated to %d of %d bytes", length, bytes.length)
                    .isInstanceOf(CodecException.class);
        }
    }

    @Test
    void randomCorruptionsNeverEscapeAsAnythingButACodecException() {
        byte[] bytes = strict.encode(full());
        Random random = new Random(42);
        for (int i = 0; i < 2000; i++) {
            byte[] corrupt = bytes.clone();
            for (int flips = 1 + random.nextInt(3); flips > 0; flips--) {
                corrupt[random.nextInt(corrupt.length)] = (byte) random.nextInt(256);
            }
            Throwable thrown = catchThrowable(() -> strict.decode(corrupt));
            assertThat(thrown == null || thrown instanceof CodecException).as("corruption %d: %s", i, thrown).isTrue();
        }
    }

    @Test
    void hostileLengthsAndVersionsAreRefusedWithoutAllocatingThem() {
        assertThatThrownBy(() -> strict.decode(new byte[] {0, 0, 0, 2})).isInstanceOf(CodecException.class)
                .hasMessageContaining("format version 2");
        // version 1, a GenericPrincipal whose name claims 2 GB
        byte[] hugeName = {0, 0, 0, 1, 0, 0, 0, 1, 0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff};
        assertThatThrownBy(() -> strict.decode(hugeName)).isInstanceOf(CodecException.class)
                .hasMessageContaining("truncated");
        // version 1, a GenericPrincipal named "a" with a billion roles
        byte[] manyRoles = {0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 'a', 0x3b, (byte) 0x9a, (byte) 0xca, 0};
        assertThatThrownBy(() -> strict.decode(manyRoles)).isInstanceOf(CodecException.class)
                .hasMessageContaining("count");
        // an unknown principal kind
        assertThatThrownBy(() -> strict.decode(new byte[] {0, 0, 0, 1, 0, 0, 0, 9})).isInstanceOf(CodecException.class)
                .hasMessageContaining("principal kind 9");
    }

    @Test
    void textThatIsNotUtf8AndBadCookieNamesAreCorrupt() {
        byte[] badUtf8 = {0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 2, (byte) 0xc3, 0x28, 0, 0, 0, 0, 0, 0, 0, 0};
        assertThatThrownBy(() -> strict.decode(badUtf8)).isInstanceOf(CodecException.class)
                .hasMessageContaining("UTF-8");

        SavedRequest saved = new SavedRequest();
        saved.addCookie(new Cookie("ok", "v"));
        byte[] bytes = strict.encode(new AuthState(null, null, null, saved));
        String asText = new String(bytes, StandardCharsets.ISO_8859_1).replace("ok", "o;");
        assertThatThrownBy(() -> strict.decode(asText.getBytes(StandardCharsets.ISO_8859_1)))
                .isInstanceOf(CodecException.class).hasMessageContaining("cookie");
    }

    private static <T> List<T> toList(java.util.Iterator<T> items) {
        List<T> list = new ArrayList<>();
        items.forEachRemaining(list::add);
        return list;
    }
}
