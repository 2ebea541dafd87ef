package io.sessioncluster.tomcat;

import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SsoSessionTest {

    @Test
    void roundTripsAndNamesTheAttributeAfterTheBaseId() throws Exception {
        SsoSession session = new SsoSession("localhost", "/shop##2", "ABCDEF0123.nodeA");
        assertThat(SsoSession.decode(session.encode())).isEqualTo(session);
        assertThat(session.attributeName()).isEqualTo("session:localhost|/shop##2|ABCDEF0123");
        assertThat(session.sameSession(new SsoSession("localhost", "/shop##2", "ABCDEF0123.nodeB"))).isTrue();
        assertThat(session.sameSession(new SsoSession("localhost", "/other", "ABCDEF0123.nodeA"))).isFalse();
    }

    @Test
    void bytesNotInTheFormatAreRefused() {
        byte[] good = new SsoSession("localhost", "/shop", "ABCDEF0123").encode();
        assertThatThrownBy(() -> SsoSession.decode(Arrays.copyOf(good, good.length - 1)))
                .isInstanceOf(AuthBytes.Malformed.class);
        assertThatThrownBy(() -> SsoSession.decode(Arrays.copyOf(good, good.length + 1)))
                .isInstanceOf(AuthBytes.Malformed.class);
        byte[] otherVersion = good.clone();
        otherVersion[3] = 9;
        assertThatThrownBy(() -> SsoSession.decode(otherVersion)).hasMessageContaining("format version 9");
        byte[] badId = new SsoSession("localhost", "/shop", "ABC DEF").encode();
        assertThatThrownBy(() -> SsoSession.decode(badId)).hasMessageContaining("malformed session id");
    }
}
