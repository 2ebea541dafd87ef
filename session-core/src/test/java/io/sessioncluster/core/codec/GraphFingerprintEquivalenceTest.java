package io.sessioncluster.core.codec;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The walk ({@link GraphFingerprint}) against the check it replaced, the hash of the encoded bytes: on random graphs
 * (POJOs with inherited fields, records, enums, collections, hash and sorted maps, arrays, cycles, shared
 * references, JDK values, classes with their own serialization) and random in-place mutations, the walk changes
 * exactly when the encoding changes; an untouched graph and a decoded copy keep their fingerprint.
 */
class GraphFingerprintEquivalenceTest {

    private static final KryoAttributeCodec CODEC = new KryoAttributeCodec(
            ClassAllowList.of(List.of(GraphFingerprintEquivalenceTest.class.getName())), 1 << 20,
            GraphFingerprintEquivalenceTest.class.getClassLoader());
    private static final int TRIALS = 4_000;

    enum Color { RED, GREEN, BLUE }

    static class Base {
        int baseCount;
        String baseName;
    }

    static class Node extends Base {
        int count;
        long id;
        double price;
        boolean flag;
        char letter = 'a';
        String name;
        BigDecimal amount;
        Color color;
        Object ref;
        List<Object> children = new ArrayList<>();
        Map<String, Object> attributes = new HashMap<>();
        int[] scores = new int[3];
        Object[] slots = new Object[2];
        transient int cache; // not encoded: changing it is not a change
    }

    record Point(int x, String label, List<Object> items) {
    }

    /** Java serialization hooks: the codec writes it through Java serialization, the walk hashes those bytes. */
    static final class Hooked implements Serializable {
        private static final long serialVersionUID = 1L;
        int value;

        private void writeObject(ObjectOutputStream out) throws IOException {
            out.defaultWriteObject();
        }

        private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
            in.defaultReadObject();
        }
    }

    @Test
    void changesExactlyWhenTheEncodingChanges() {
        long seed = new Random().nextLong();
        Random random = new Random(seed);
        int changed = 0;
        for (int trial = 0; trial < TRIALS; trial++) {
            Object root = new Graphs(random).root();
            byte[] before = CODEC.encode(root);
            long fingerprint = CODEC.fingerprint(root);
            assertThat(CODEC.fingerprint(root)).as("untouched, seed %d trial %d", seed, trial).isEqualTo(fingerprint);

            String mutation = new Mutations(random).apply(root);
            boolean encodingChanged = !Arrays.equals(before, CODEC.encode(root));
            boolean walkChanged = CODEC.fingerprint(root) != fingerprint;
            assertThat(walkChanged).as("%s (seed %d, trial %d): encoding changed %s", mutation, seed, trial,
                    encodingChanged).isEqualTo(encodingChanged);
            changed += encodingChanged ? 1 : 0;
        }
        assertThat(changed).as("mutations that changed something").isBetween(TRIALS / 3, TRIALS - 1);
    }

    @Test
    void aDecodedGraphKeepsItsFingerprint() {
        Random random = new Random(7);
        for (int trial = 0; trial < 500; trial++) {
            byte[] bytes = CODEC.encode(new Graphs(random).root());
            Object decoded = CODEC.decode(bytes);
            long loaded = CODEC.fingerprint(decoded);
            assertThat(CODEC.fingerprint(decoded)).as("trial %d", trial).isEqualTo(loaded);
            assertThat(CODEC.encodeIfChanged(decoded, loaded)).as("an untouched loaded value is not written").isNull();
        }
    }

    @Test
    void encodeIfChangedEncodesOnlyAChangeAndReturnsItsNewFingerprint() {
        Node node = new Node();
        node.name = "cart";
        long known = CODEC.fingerprint(node);
        assertThat(CODEC.encodeIfChanged(node, known)).isNull();

        node.count++;
        AttributeCodec.Encoded encoded = CODEC.encodeIfChanged(node, known);
        assertThat(encoded).isNotNull();
        assertThat(encoded.fingerprint()).isEqualTo(CODEC.fingerprint(node)).isNotEqualTo(known);
        assertThat(((Node) CODEC.decode(encoded.bytes())).count).isEqualTo(1);
        assertThat(CODEC.encodeIfChanged(node, null)).as("nothing known: always encoded").isNotNull();
    }

    @Test
    void refusesWhatTheEncodingRefuses() {
        Map<String, Object> map = new HashMap<>();
        map.put("x", new Thread()); // not on the allow-list, deep inside
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> CODEC.fingerprint(map))
                .isInstanceOf(CodecException.class)
                .extracting(e -> ((CodecException) e).reason()).isEqualTo(CodecException.Reason.CLASS_NOT_ALLOWED);
    }

    @Test
    void aGraphDeeperThanTheCodecAllowsIsRefused() {
        List<Object> deep = new ArrayList<>();
        List<Object> tip = deep;
        for (int i = 0; i < SafeKryo.MAX_DEPTH + 10; i++) {
            List<Object> next = new ArrayList<>();
            tip.add(next);
            tip = next;
        }
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> CODEC.fingerprint(deep))
                .isInstanceOf(CodecException.class);
    }

    /** Random graphs; every container and node may be reached twice (shared) or from below (a cycle). */
    static final class Graphs {
        private final Random random;
        private final List<Object> made = new ArrayList<>();

        Graphs(Random random) {
            this.random = random;
        }

        Object root() {
            return switch (random.nextInt(4)) {
                case 0 -> list(0);
                case 1 -> map(0);
                default -> node(0);
            };
        }

        Node node(int depth) {
            Node node = new Node();
            made.add(node);
            node.baseCount = random.nextInt(5);
            node.baseName = random.nextBoolean() ? null : "base" + random.nextInt(3);
            node.count = random.nextInt(100);
            node.id = random.nextLong();
            node.price = random.nextInt(1000) / 100.0;
            node.flag = random.nextBoolean();
            node.name = random.nextBoolean() ? "n" + random.nextInt(10) : null;
            node.amount = random.nextBoolean() ? BigDecimal.valueOf(random.nextInt(10_000), 2) : null;
            node.color = random.nextBoolean() ? Color.values()[random.nextInt(3)] : null;
            node.scores[random.nextInt(3)] = random.nextInt(10);
            node.slots[0] = random.nextBoolean() ? "slot" : null;
            node.ref = depth > 2 ? pickMade() : any(depth + 1);
            int children = depth > 2 ? 0 : random.nextInt(3);
            for (int i = 0; i < children; i++) {
                node.children.add(any(depth + 1));
            }
            if (random.nextBoolean()) {
                node.attributes.put("k" + random.nextInt(5), any(depth + 1));
            }
            return node;
        }

        List<Object> list(int depth) {
            List<Object> list = random.nextBoolean() ? new ArrayList<>() : new LinkedList<>();
            made.add(list);
            int size = depth > 2 ? random.nextInt(2) : 1 + random.nextInt(3);
            for (int i = 0; i < size; i++) {
                list.add(any(depth + 1));
            }
            return list;
        }

        Map<String, Object> map(int depth) {
            Map<String, Object> map = switch (random.nextInt(3)) {
                case 0 -> new HashMap<>();
                case 1 -> new LinkedHashMap<>();
                default -> new TreeMap<>();
            };
            made.add(map);
            int size = depth > 2 ? random.nextInt(2) : 1 + random.nextInt(4);
            for (int i = 0; i < size; i++) {
                map.put("key" + random.nextInt(20), any(depth + 1));
            }
            return map;
        }

        Object any(int depth) {
            if (depth > 4) {
                return random.nextBoolean() ? pickMade() : leaf();
            }
            return switch (random.nextInt(12)) {
                case 0, 1 -> node(depth);
                case 2 -> list(depth);
                case 3 -> map(depth);
                case 4 -> new Point(random.nextInt(5), "p" + random.nextInt(3), list(depth + 1));
                case 5 -> pickMade(); // a shared reference or a cycle
                case 6 -> new HashSet<>(Set.of("s" + random.nextInt(3), random.nextInt(100)));
                case 7 -> new Object[] {leaf(), pickMade()};
                default -> leaf();
            };
        }

        Object pickMade() {
            return made.isEmpty() ? null : made.get(random.nextInt(made.size()));
        }

        Object leaf() {
            return switch (random.nextInt(19)) {
                case 0 -> null;
                case 1 -> random.nextInt(50);
                case 2 -> (long) random.nextInt(50);
                case 3 -> "text" + random.nextInt(5);
                case 4 -> random.nextBoolean() ? BigDecimal.valueOf(random.nextInt(500), random.nextInt(3))
                        : new BigDecimal("1234567890123456789." + random.nextInt(3)); // beyond a double's digits
                case 5 -> LocalDate.ofEpochDay(random.nextInt(20_000));
                case 6 -> new Date(random.nextInt(1_000_000));
                case 7 -> new UUID(random.nextInt(3), random.nextInt(3));
                case 8 -> new AtomicInteger(random.nextInt(4));
                case 9 -> Optional.of("opt" + random.nextInt(3));
                case 10 -> EnumSet.of(Color.values()[random.nextInt(3)]);
                case 11 -> new String[] {"a" + random.nextInt(3), null};
                case 12 -> new double[] {random.nextInt(4)};
                case 13 -> java.util.Currency.getInstance(random.nextBoolean() ? "EUR" : "USD");
                case 14 -> random.nextBoolean() ? java.util.Locale.FRANCE : java.util.Locale.forLanguageTag("de-CH");
                case 15 -> java.time.ZonedDateTime.of(2026, 1, 1 + random.nextInt(3), 0, 0, 0, 0,
                        java.time.ZoneId.of(random.nextBoolean() ? "Europe/Paris" : "UTC"));
                case 16 -> java.time.OffsetDateTime.of(2026, 1, 1, random.nextInt(3), 0, 0, 0,
                        java.time.ZoneOffset.ofHours(random.nextInt(3)));
                case 17 -> random.nextBoolean() ? EnumSet.noneOf(Color.class) : EnumSet.of(Color.RED, Color.BLUE);
                default -> {
                    Hooked hooked = new Hooked();
                    hooked.value = random.nextInt(4);
                    yield hooked;
                }
            };
        }
    }

    /** One random in-place change somewhere in the graph; some change nothing the codec writes. */
    static final class Mutations {
        private final Random random;

        Mutations(Random random) {
            this.random = random;
        }

        @SuppressWarnings("unchecked")
        String apply(Object root) {
            List<Object> reachable = reachable(root);
            Object target = reachable.get(random.nextInt(reachable.size()));
            if (target instanceof Node node) {
                return mutateNode(node, reachable);
            }
            if (target instanceof List<?> list) {
                return mutateList((List<Object>) list, reachable);
            }
            if (target instanceof Map<?, ?> map) {
                return mutateMap((Map<String, Object>) map, reachable);
            }
            if (target instanceof String[] strings) {
                strings[random.nextInt(2)] = random.nextBoolean() ? null : "a" + random.nextInt(3);
                return "string array slot set";
            }
            if (target instanceof Object[] array && array.length > 0) {
                array[random.nextInt(array.length)] = pick(reachable);
                return "array slot replaced";
            }
            if (target instanceof AtomicInteger atomic) {
                atomic.set(random.nextInt(4));
                return "atomic set";
            }
            if (target instanceof Date date) {
                date.setTime(random.nextInt(3));
                return "date set";
            }
            if (target instanceof Hooked hooked) {
                hooked.value = random.nextInt(4);
                return "hooked value set";
            }
            if (target instanceof double[] doubles) {
                doubles[0] = random.nextInt(4);
                return "double array set";
            }
            if (target instanceof EnumSet<?> set) {
                EnumSet<Color> colors = (EnumSet<Color>) set;
                Color color = Color.values()[random.nextInt(3)];
                if (!colors.remove(color)) {
                    colors.add(color);
                }
                return "enum set toggle";
            }
            if (target instanceof Set<?> set) {
                ((Set<Object>) set).add("s" + random.nextInt(4));
                return "set add";
            }
            return "nothing mutable picked (" + target.getClass().getSimpleName() + ")";
        }

        private String mutateNode(Node node, List<Object> reachable) {
            List<Consumer<Node>> changes = List.of(
                    n -> n.count = random.nextInt(100),
                    n -> n.count++,
                    n -> n.id ^= 1L << random.nextInt(64),
                    n -> n.price = random.nextInt(1000) / 100.0,
                    n -> n.flag = !n.flag,
                    n -> n.letter = (char) ('a' + random.nextInt(3)),
                    n -> n.name = random.nextBoolean() ? null : "n" + random.nextInt(10),
                    n -> n.name = n.name == null ? null : new String(n.name), // equal copy: sharing may change
                    n -> n.amount = n.amount == null ? BigDecimal.ONE : n.amount.setScale(n.amount.scale() + 1),
                    n -> n.amount = n.amount == null ? null : n.amount.add(BigDecimal.valueOf(1, n.amount.scale())),
                    n -> n.color = Color.values()[random.nextInt(3)],
                    n -> n.ref = pick(reachable),
                    n -> n.ref = null,
                    n -> n.children.add(pick(reachable)),
                    n -> { if (!n.children.isEmpty()) n.children.remove(0); },
                    n -> n.attributes.put("k" + random.nextInt(5), pick(reachable)),
                    n -> n.attributes.remove("k" + random.nextInt(5)),
                    n -> n.scores[random.nextInt(3)] = random.nextInt(3),
                    n -> n.slots[1] = pick(reachable),
                    n -> n.baseCount = random.nextInt(5),
                    n -> n.baseName = "base" + random.nextInt(3),
                    n -> n.cache = random.nextInt());
            int which = random.nextInt(changes.size());
            changes.get(which).accept(node);
            return "node change " + which;
        }

        private String mutateList(List<Object> list, List<Object> reachable) {
            int which = random.nextInt(4);
            switch (which) {
                case 0 -> list.add(pick(reachable));
                case 1 -> { if (!list.isEmpty()) list.remove(random.nextInt(list.size())); }
                case 2 -> { if (list.size() > 1) list.add(list.remove(0)); }
                default -> { if (!list.isEmpty()) list.set(0, list.get(0)); } // same element: nothing changes
            }
            return "list change " + which;
        }

        private String mutateMap(Map<String, Object> map, List<Object> reachable) {
            int which = random.nextInt(4);
            String key = "key" + random.nextInt(20);
            switch (which) {
                case 0 -> map.put(key, pick(reachable));
                case 1 -> map.remove(key);
                case 2 -> map.put(key, random.nextInt(3));
                default -> map.replaceAll((k, v) -> v); // same values: nothing changes
            }
            return "map change " + which;
        }

        private Object pick(List<Object> reachable) {
            return random.nextInt(4) == 0 ? "fresh" + random.nextInt(3) : reachable.get(random.nextInt(reachable.size()));
        }

        /** Every object reachable from the root, each once. */
        private static List<Object> reachable(Object root) {
            Map<Object, Boolean> seen = new IdentityHashMap<>();
            List<Object> order = new ArrayList<>();
            List<Object> stack = new ArrayList<>(List.of(root));
            while (!stack.isEmpty()) {
                Object o = stack.remove(stack.size() - 1);
                if (o == null || seen.put(o, Boolean.TRUE) != null) {
                    continue;
                }
                order.add(o);
                if (o instanceof Node n) {
                    stack.add(n.ref);
                    stack.add(n.children);
                    stack.add(n.attributes);
                    stack.add(n.slots);
                    stack.add(n.amount);
                } else if (o instanceof Point p) {
                    stack.add(p.items());
                } else if (o instanceof Map<?, ?> m) {
                    stack.addAll(m.values());
                } else if (o instanceof EnumSet<?> || o instanceof HashSet<?>) {
                    continue; // mutated as a whole, its elements are values
                } else if (o instanceof Iterable<?> it) {
                    it.forEach(stack::add);
                } else if (o instanceof Object[] a && o.getClass() == Object[].class) {
                    stack.addAll(Arrays.asList(a));
                }
            }
            return order;
        }
    }
}
