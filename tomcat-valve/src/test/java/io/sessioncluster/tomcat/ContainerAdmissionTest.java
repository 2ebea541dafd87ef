package io.sessioncluster.tomcat;

import io.sessioncluster.core.codec.AttributeCodec;
import io.sessioncluster.core.codec.CodecException;

import org.apache.catalina.authenticator.SavedRequest;
import org.apache.catalina.realm.GenericPrincipal;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import jakarta.servlet.http.Cookie;

import java.util.List;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Tomcat's own session types, stored as plain attributes, need no allow-list entry in either codec. */
class ContainerAdmissionTest {

    private static AttributeCodec codec(String codec) {
        return TestCodecs.of(new ContainerAdmission(null), "codec", codec);
    }

    @ParameterizedTest
    @ValueSource(strings = {"kryo", "java"})
    void tomcatsSessionTypesRoundTrip(String name) {
        AttributeCodec codec = codec(name);
        GenericPrincipal principal = (GenericPrincipal) codec.decode(codec.encode(
                new GenericPrincipal("alice", List.of("user", "admin"))));
        assertThat(principal.getName()).isEqualTo("alice");
        assertThat(principal.getRoles()).containsExactly("admin", "user");

        SavedRequest saved = new SavedRequest();
        saved.addCookie(new Cookie("theme", "dark"));
        saved.addLocale(Locale.GERMAN);
        saved.addHeader("Accept", "text/html");
        saved.setRequestURI("/shop");
        org.apache.tomcat.util.buf.ByteChunk body = new org.apache.tomcat.util.buf.ByteChunk();
        body.setBytes(new byte[] {'a', '=', '1'}, 0, 3);
        saved.setBody(body);
        SavedRequest read = (SavedRequest) codec.decode(codec.encode(saved));
        assertThat(read.getRequestURI()).isEqualTo("/shop");
        assertThat(read.getCookies().next().getValue()).isEqualTo("dark");
        assertThat(read.getLocales().next()).isEqualTo(Locale.GERMAN);
        assertThat(read.getHeaderValues("Accept").next()).isEqualTo("text/html");
        assertThat(read.getBody().toString()).isEqualTo("a=1");
    }

    @ParameterizedTest
    @ValueSource(strings = {"kryo", "java"})
    void otherTomcatClassesStayRefused(String name) {
        AttributeCodec codec = codec(name);
        assertThatThrownBy(() -> codec.encode(new org.apache.catalina.util.ParameterMap<String, String>()))
                .isInstanceOf(CodecException.class).hasMessageContaining("allowedClasses");
    }
}
