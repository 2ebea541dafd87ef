package io.sessioncluster.benchmarks.profile;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Summarises the CPU samples ({@code jdk.ExecutionSample}) of JFR recordings: the share of each thread group,
 * then, on the request threads only ({@code http-nio-*}, Tomcat's), the top methods by inclusive share (anywhere on
 * the stack) and by self share (the top frame), as Markdown. Usage:
 * {@code java -cp benchmarks.jar io.sessioncluster.benchmarks.profile.JfrTop <file.jfr|directory> [top=25]
 * [filter-regex] [group]}: a directory takes every {@code .jfr} in it; the filter keeps inclusive rows whose method
 * matches; the group (a thread group of the first table, default the request threads) is the one broken down.
 */
public final class JfrTop {

    private JfrTop() {
    }

    public static void main(String[] args) throws IOException {
        int top = args.length > 1 ? Integer.parseInt(args[1]) : 25;
        String filter = args.length > 2 ? args[2] : ".*";
        String focus = args.length > 3 ? args[3] : "request threads";
        List<Path> files = new ArrayList<>();
        Path input = Path.of(args[0]);
        if (Files.isDirectory(input)) {
            try (Stream<Path> s = Files.list(input)) {
                s.filter(p -> p.toString().endsWith(".jfr")).sorted().forEach(files::add);
            }
        } else {
            files.add(input);
        }
        Map<String, Integer> groups = new HashMap<>();
        Map<String, Integer> inclusive = new HashMap<>();
        Map<String, Integer> self = new HashMap<>();
        int all = 0;
        int request = 0;
        for (Path file : files) {
            for (RecordedEvent e : RecordingFile.readAllEvents(file)) {
                if (!"jdk.ExecutionSample".equals(e.getEventType().getName())) {
                    continue;
                }
                all++;
                RecordedThread thread = e.getThread("sampledThread");
                String group = group(thread == null ? "?" : thread.getJavaName());
                groups.merge(group, 1, Integer::sum);
                RecordedStackTrace stack = e.getStackTrace();
                if (!group.startsWith(focus) || stack == null || stack.getFrames().isEmpty()) {
                    continue;
                }
                request++;
                List<RecordedFrame> frames = stack.getFrames();
                self.merge(name(frames.get(0)), 1, Integer::sum);
                Set<String> seen = new HashSet<>();
                for (RecordedFrame f : frames) {
                    String n = name(f);
                    if (seen.add(n)) {
                        inclusive.merge(n, 1, Integer::sum);
                    }
                }
            }
        }
        System.out.printf(Locale.ROOT, "%d CPU samples, %d on " + focus + "%n%n| threads | share |%n|---|---:|%n",
                all, request);
        print(groups, all, groups.size(), ".*");
        System.out.printf("%n| " + focus + ", inclusive | share |%n|---|---:|%n");
        print(inclusive, request, top, filter);
        System.out.printf("%n| " + focus + ", self (top frame) | share |%n|---|---:|%n");
        print(self, request, top, ".*");
    }

    private static void print(Map<String, Integer> counts, int total, int top, String filter) {
        counts.entrySet().stream().filter(e -> e.getKey().matches(filter))
                .sorted(Map.Entry.<String, Integer>comparingByValue(Comparator.reverseOrder())).limit(top)
                .forEach(e -> System.out.printf(Locale.ROOT, "| `%s` | %.1f%% |%n", e.getKey(),
                        100.0 * e.getValue() / Math.max(1, total)));
    }

    private static String name(RecordedFrame f) {
        String type = f.getMethod().getType().getName();
        return type.substring(type.lastIndexOf('.') + 1) + "." + f.getMethod().getName();
    }

    /** Thread groups by name: Tomcat's request threads, the load generator, store clients, the rest. */
    static String group(String thread) {
        if (thread == null) {
            return "?";
        }
        if (thread.startsWith("http-nio") && thread.contains("exec")) {
            return "request threads";
        }
        if (thread.startsWith("http-nio")) {
            return "Tomcat pollers and acceptors";
        }
        if (thread.startsWith("load-")) {
            return "load generator";
        }
        if (thread.startsWith("lettuce") || thread.startsWith("redisson") || thread.contains("netty")) {
            return "Redis clients (Lettuce, Redisson, Netty)";
        }
        if (thread.startsWith("GC") || thread.contains("G1") || thread.startsWith("C1") || thread.startsWith("C2")) {
            return "GC and JIT";
        }
        return "other (" + thread.replaceAll("[-_ ]?\\d+$", "").replaceAll("\\d+", "N") + ")";
    }
}
