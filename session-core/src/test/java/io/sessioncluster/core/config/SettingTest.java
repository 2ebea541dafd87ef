package io.sessioncluster.core.config;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SettingTest {

    enum Replication { ALL, PRIMARY_BACKUP }

    @Test
    void writesEnumConstantsInLowerCaseWithDashes() {
        Setting<Replication> setting = Setting.oneOf("replication", Replication.ALL, "how sessions are copied");

        assertThat(setting.allowed()).isEqualTo("all, primary-backup");
        assertThat(setting.defaultValue()).isEqualTo("all");
        assertThat(setting.parse("primary-backup")).isEqualTo(Replication.PRIMARY_BACKUP);
        assertThatThrownBy(() -> setting.parse("PRIMARY_BACKUP"))
                .hasMessage("replication [PRIMARY_BACKUP]: allowed are all, primary-backup");
    }

    @Test
    void trimsTheRawValue() {
        assertThat(Setting.integer("n", 1, 0, 10, "d").parse(" 7 ")).isEqualTo(7);
        assertThat(Setting.bool("b", true, "d").parse(" false")).isFalse();
    }

    @Test
    void appendsTheParsersExplanationButNotANumberFormatMessage() {
        Setting<String> custom = Setting.of("uri", null, "a redis:// URI", "d", raw -> {
            throw new IllegalArgumentException("scheme must be redis");
        });

        assertThatThrownBy(() -> custom.parse("http://x")).hasMessage("uri [http://x]: allowed are a redis:// URI (scheme must be redis)");
        assertThatThrownBy(() -> Setting.integer("n", 1, 0, 10, "d").parse("ten"))
                .hasMessage("n [ten]: allowed are an integer from 0 to 10");
    }

    @Test
    void aSecretMasksItsValueEvenWhereItsParserQuotesIt() {
        Setting<String> secret = Setting.<String>of("password", null, "8 or more characters", "d", raw -> {
            throw new IllegalArgumentException("too short: " + raw);
        }).secret();

        assertThat(secret.isSecret()).isTrue();
        assertThat(secret.shown("hunter2")).isEqualTo("****");
        assertThatThrownBy(() -> secret.parse("hunter2"))
                .hasMessage("password [****]: allowed are 8 or more characters (too short: ****)")
                .hasMessageNotContaining("hunter2");
    }

    @Test
    void aSettingWithoutDefaultIsRequired() {
        assertThat(Setting.text("url", null, "d").required()).isTrue();
        assertThat(Setting.text("url", "x", "d").required()).isFalse();
        assertThat(Setting.text("url", "x", "where").description()).isEqualTo("where");
        assertThat(Setting.text("url", "x", "d")).hasToString("url");
    }

    @Test
    void settingsParseFallsBackToDefaultsAndCollectsProblems() {
        Setting<Integer> size = Setting.integer("size", 5, 1, 9, "d");
        Setting<String> name = Setting.text("name", null, "d");
        Setting<Boolean> flag = Setting.bool("flag", true, "d");

        Settings parsed = Settings.parse(List.of(size, flag), Map.of("flag", "false"));
        assertThat(parsed.get(size)).isEqualTo(5);
        assertThat(parsed.get(flag)).isFalse();
        assertThatThrownBy(() -> parsed.get(name)).hasMessage("setting [name] was not validated with this group");

        assertThatThrownBy(() -> Settings.parse(List.of(size, name), Map.of("size", "10")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("Invalid settings:\n  - size [10]: allowed are an integer from 1 to 9\n"
                        + "  - name: required; allowed are any text");
    }
}
