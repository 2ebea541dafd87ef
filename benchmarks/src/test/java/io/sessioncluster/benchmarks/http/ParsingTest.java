package io.sessioncluster.benchmarks.http;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ParsingTest {

    @Test
    void cookieJarKeepsNameValuePairsAndDropsDeletedOnes() {
        CookieJar jar = new CookieJar();
        jar.accept("JSESSIONID=ABC.node1; Path=/; HttpOnly");
        jar.accept("SESSION=ZmFrZQ==; Path=/; SameSite=Lax");
        assertThat(jar.header()).isEqualTo("JSESSIONID=ABC.node1; SESSION=ZmFrZQ==");
        jar.accept("SESSION=; Max-Age=0; Path=/");
        assertThat(jar.header()).isEqualTo("JSESSIONID=ABC.node1");
        jar.clear();
        assertThat(jar.isEmpty()).isTrue();
        assertThat(jar.header()).isEmpty();
    }

    @Test
    void monitorLinesCountClientCommandsOnly() {
        assertThat(RedisMonitor.parse("+1700000000.123456 [0 127.0.0.1:51234] \"HGET\" \"bench:x\" \"#v\""))
                .isEqualTo("hget");
        assertThat(RedisMonitor.parse("+1700000000.123456 [0 lua] \"hset\" \"bench:x\" \"a:b\" \"c\"")).isNull();
        assertThat(RedisMonitor.parse("+1700000000.123456 [0 127.0.0.1:51234] \"INFO\" \"all\"")).isNull();
        assertThat(RedisMonitor.parse("+OK")).isNull();
    }

    @Test
    void commandStatsField() {
        assertThat(RedisInfo.field("calls=12,usec=40,usec_per_call=3.33", "calls")).isEqualTo(12);
        assertThat(RedisInfo.field("usec=40", "calls")).isZero();
    }

    @Test
    void roundsReportTheMedianRatio() {
        Scenario s = new Scenario("x", "f", true, env -> null, "");
        List<Measurement> runs = List.of(m(100), m(300), m(200));
        List<Measurement> baseline = List.of(m(1000), m(1000), m(1000));
        Row row = Rounds.median(s, runs, baseline);
        assertThat(row.ratio()).isEqualTo(0.2);
        assertThat(row.measurement().throughput()).isEqualTo(200);
        assertThat(Rounds.median(s, List.of(m(100), m(300)), List.of(m(1000), m(1000))).ratio()).isEqualTo(0.2);
        assertThat(Rounds.rows(List.of(Scenario.pending("p", "f", true, "later")), Map.of(), Map.of()).get(0).problem())
                .isEqualTo("pending: later");
    }

    @Test
    void scenarioIdsAreUniqueAndCommandLineFriendly() {
        List<String> ids = Scenarios.all().stream().map(Scenario::id).toList();
        assertThat(ids).doesNotHaveDuplicates().allMatch(id -> id.matches("[a-z0-9-]+"));
        assertThat(new LoadSettings(1, Duration.ZERO, Duration.ofSeconds(1), RequestMix.DEFAULT, 1).users()).isOne();
    }

    private static Measurement m(double throughput) {
        return new Measurement(throughput, 1, 2, 3, 0, 0, 0, 0, 0, Measurement.Alone.NONE, Measurement.Alone.NONE,
                -1, -1, Measurement.Cpu.NONE, Measurement.ByKind.NONE, Measurement.ByKind.NONE);
    }

    @Test
    void socketCountersOfConnectionsToPostgres() {
        String ss = "ESTAB 0      0      127.0.0.1:60444 127.0.0.1:5432 users:((\"java\",pid=4242,fd=31))\n"
                + "\t bbr wscale:10,10 rto:208 mss:32768 bytes_sent:9100 bytes_acked:9101 bytes_received:415 "
                + "segs_out:60 data_segs_out:37 data_segs_in:2 lastsnd:840\n"
                + "ESTAB 0      0      127.0.0.1:60450 127.0.0.1:5432 users:((\"psql\",pid=77,fd=3))\n"
                + "\t cubic bytes_sent:91 data_segs_out:3\n";
        List<String[]> sockets = PostgresProbe.parseSockets(ss);
        assertThat(sockets).hasSize(2);
        assertThat(sockets.get(0)[0]).isEqualTo("60444");
        assertThat(sockets.get(0)[1]).contains("pid=4242,");
        assertThat(PostgresProbe.sent(sockets.get(0)[1])).containsExactly(9100, 37);
        assertThat(sockets.get(1)[0]).isEqualTo("60450");
        assertThat(PostgresProbe.sent(sockets.get(1)[1])).containsExactly(91, 3);
        assertThat(PostgresProbe.parseSockets("")).isEmpty();
    }
}
