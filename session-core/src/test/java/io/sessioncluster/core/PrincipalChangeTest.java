package io.sessioncluster.core;

import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The principal name a change set gives its session: what may be indexed, and what never shows in a message. */
class PrincipalChangeTest {

    @Test
    void aNameOfOneTo256CharactersIsIndexed() {
        assertThat(PrincipalChange.to("a").name()).isEqualTo("a");
        assertThat(PrincipalChange.to("x".repeat(256)).changed()).isTrue();
        assertThat(PrincipalChange.isIndexable("ümlaut ✓")).isTrue();
    }

    @Test
    void anEmptyMissingOrTooLongNameIsRefusedWithTheReason() {
        assertThatThrownBy(() -> PrincipalChange.to(null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a principal name must not be empty");
        assertThatThrownBy(() -> PrincipalChange.to("")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a principal name must not be empty");
        assertThatThrownBy(() -> PrincipalChange.to("x".repeat(257))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a principal name is at most 256 characters, not 257");
        assertThat(PrincipalChange.isIndexable(null)).isFalse();
        assertThat(PrincipalChange.isIndexable("")).isFalse();
        assertThat(PrincipalChange.isIndexable("x".repeat(257))).isFalse();
    }

    @Test
    void anUnchangedPrincipalCarriesNoName() {
        assertThatThrownBy(() -> new PrincipalChange(false, "alice")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unchanged");
        assertThat(PrincipalChange.UNCHANGED.changed()).isFalse();
        assertThat(PrincipalChange.CLEARED.changed()).isTrue();
        assertThat(PrincipalChange.CLEARED.name()).isNull();
    }

    @Test
    void theNameNeverShowsInAChangeSetsText() {
        ChangeSet login = new ChangeSet("id1", false, 1, 2, 60, Map.of(), Set.of()).withPrincipal(PrincipalChange.to("alice"));

        assertThat(login.toString()).contains("principal=set").doesNotContain("alice");
        assertThat(PrincipalChange.CLEARED.toString()).isEqualTo("cleared");
        assertThat(login.isMetadataOnly()).as("a login is a change to write").isFalse();
        assertThat(login).isNotEqualTo(new ChangeSet("id1", false, 1, 2, 60, Map.of(), Set.of()));
    }
}
