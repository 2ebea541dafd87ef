package io.sessioncluster.core.codec;

import io.sessioncluster.core.testing.ShopModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Collections;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ClassAllowListTest {

    private static final ClassAllowList BUILT_IN_ONLY = ClassAllowList.parse("");

    @Test
    void anExactClassAllowsItselfAndItsNestedClassesOnly() {
        ClassAllowList list = ClassAllowList.parse("com.shop.Cart");

        assertThat(list.allows("com.shop.Cart")).isTrue();
        assertThat(list.allows("com.shop.Cart$Item")).isTrue();
        assertThat(list.allows("com.shop.Cart$Item$Price")).isTrue();
        assertThat(list.allows("com.shop.CartItem")).isFalse();
        assertThat(list.allows("com.shop.Other")).isFalse();
    }

    @Test
    void aPackageStarAllowsThatPackageButNotItsSubPackages() {
        ClassAllowList list = ClassAllowList.parse("com.shop.*");

        assertThat(list.allows("com.shop.Cart")).isTrue();
        assertThat(list.allows("com.shop.Cart$Item")).isTrue();
        assertThat(list.allows("com.shop.model.Cart")).isFalse();
        assertThat(list.allows("com.shopping.Cart")).isFalse();
    }

    @Test
    void aPackageDoubleStarAllowsThePackageTree() {
        ClassAllowList list = ClassAllowList.parse("com.shop.**");

        assertThat(list.allows("com.shop.Cart")).isTrue();
        assertThat(list.allows("com.shop.model.deep.Cart")).isTrue();
        assertThat(list.allows("com.shopping.Cart")).isFalse();
        assertThat(list.allows("com.Cart")).isFalse();
    }

    @Test
    void alwaysAllowsTheBuiltInValueAndCollectionTypes() {
        assertThat(List.of("java.lang.String", "java.lang.Integer", "java.math.BigDecimal", "java.util.UUID",
                "java.time.LocalDate", "java.time.chrono.HijrahDate", "java.util.ArrayList", "java.util.HashMap",
                "java.util.Collections$UnmodifiableRandomAccessList", "java.util.ImmutableCollections$ListN",
                "java.util.CollSer", "java.util.concurrent.ConcurrentHashMap$Segment", "int", "boolean"))
                .allSatisfy(name -> assertThat(BUILT_IN_ONLY.allows(name)).as(name).isTrue());
    }

    @Test
    void refusesWhatIsNotListed() {
        assertThat(List.of("java.lang.Runtime", "java.lang.ProcessBuilder", "java.net.URL", "java.lang.Class",
                "java.lang.reflect.Proxy", "javax.management.BadAttributeValueExpException",
                "org.apache.commons.collections.functors.InvokerTransformer", "com.sun.rowset.JdbcRowSetImpl",
                "java.lang.StringX", "java.timeX.Foo"))
                .allSatisfy(name -> assertThat(BUILT_IN_ONLY.allows(name)).as(name).isFalse());
    }

    @Test
    void judgesArraysByTheirElementType() {
        ClassAllowList list = ClassAllowList.parse("com.shop.Cart");

        assertThat(list.allows("[Ljava.lang.String;")).isTrue();
        assertThat(list.allows("[[I")).isTrue();
        assertThat(list.allows("[[Lcom.shop.Cart$Item;")).isTrue();
        assertThat(list.allows("[Lcom.evil.Gadget;")).isFalse();
        assertThat(list.allows(String[][].class)).isTrue();
        assertThat(list.allows(long[].class)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"[", "[X", "[L;", "[Lcom.shop.Cart", "[[Q"})
    void refusesMalformedArrayNames(String name) {
        assertThat(ClassAllowList.parse("com.shop.**").allows(name)).isFalse();
    }

    @Test
    void refusesNullAndEmptyNames() {
        assertThat(BUILT_IN_ONLY.allows((String) null)).isFalse();
        assertThat(BUILT_IN_ONLY.allows("")).isFalse();
    }

    @Test
    void judgesClassesByTheirBinaryName() {
        ClassAllowList shop = ClassAllowList.of(List.of(ShopModel.ALLOW));

        assertThat(shop.allows(ShopModel.CartItem.class)).isTrue();
        assertThat(shop.allows(ShopModel.Money.class)).isTrue();
        assertThat(BUILT_IN_ONLY.allows(ShopModel.CartItem.class)).isFalse();
    }

    @Test
    void judgesAnEnumConstantWithABodyByItsEnum() {
        Class<?> body = ShopModel.Category.ELECTRONICS.getClass();
        assertThat(body).isNotEqualTo(ShopModel.Category.class);

        assertThat(ClassAllowList.parse(ShopModel.Category.class.getName()).allows(body)).isTrue();
        assertThat(ClassAllowList.parse(ShopModel.Category.class.getName()).allows(body.getName())).isTrue();
        assertThat(BUILT_IN_ONLY.allows(body)).isFalse();
    }

    @Test
    void judgesOtherAnonymousClassesByTheirOwnName() {
        Object anonymous = new Object() {
        };

        assertThat(BUILT_IN_ONLY.allows(anonymous.getClass())).isFalse();
        assertThat(ClassAllowList.parse(ClassAllowListTest.class.getName()).allows(anonymous.getClass())).isTrue();
    }

    @Test
    void parsesCommaAndWhitespaceSeparatedLists() {
        ClassAllowList list = ClassAllowList.parse(" com.a.A,com.b.*\n\tcom.c.**, ,");

        assertThat(list.userPatterns()).containsExactly("com.a.A", "com.b.*", "com.c.**");
        assertThat(list.allows("com.a.A")).isTrue();
        assertThat(list.allows("com.b.B")).isTrue();
        assertThat(list.allows("com.c.d.C")).isTrue();
        assertThat(list.toString()).contains("com.b.*");
    }

    @Test
    void acceptsNestedClassNamesAndUnicodeIdentifiers() {
        assertThat(ClassAllowList.parse("com.shop.Outer$Inner").allows("com.shop.Outer$Inner")).isTrue();
        assertThat(ClassAllowList.parse("com.straße.Café").allows("com.straße.Café")).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"com..shop", ".com.shop", "com.shop.", "com.*.shop", "com.shop.***", "1com.shop",
            "com/shop/Cart", "com.shop*", "com.shop.Cart;", "*", "**"})
    void refusesMalformedPatternsNamingThem(String pattern) {
        assertThatThrownBy(() -> ClassAllowList.parse("com.ok.Fine, " + pattern))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("[" + pattern + "] is not a class name, package.* or package.**");
        assertThatThrownBy(() -> ClassAllowList.of(List.of(pattern)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("[" + pattern + "]");
    }

    @Test
    void ofKeepsTheUserPatterns() {
        assertThat(ClassAllowList.of(List.of("com.a.*")).userPatterns()).containsExactly("com.a.*");
        assertThat(ClassAllowList.of(Collections.emptyList()).userPatterns()).isEmpty();
    }

    @Test
    void anAdmissionRuleAdmitsByNameAndIsAskedOncePerName() {
        java.util.List<String> asked = new java.util.concurrent.CopyOnWriteArrayList<>();
        ClassAllowList list = ClassAllowList.parse("com.listed.*")
                .admitting(name -> asked.add(name) && name.startsWith("com.app."));

        assertThat(list.allows("com.app.Cart")).isTrue();
        assertThat(list.allows("com.app.Cart")).isTrue();
        assertThat(list.allows("[Lcom.app.Cart;")).as("arrays of it").isTrue();
        assertThat(list.allows("com.lib.Gadget")).isFalse();
        assertThat(list.allows("com.listed.Thing")).as("the patterns still apply").isTrue();
        assertThat(list.allows("java.lang.String")).isTrue();
        assertThat(asked).containsExactly("com.app.Cart", "com.lib.Gadget");
    }

    @Test
    void namesThatAreNoClassNamesNeverReachTheRule() {
        java.util.List<String> asked = new java.util.concurrent.CopyOnWriteArrayList<>();
        ClassAllowList list = ClassAllowList.parse("").admitting(name -> asked.add(name));

        for (String bad : new String[] {"../../etc/passwd", "com/app/Cart", "com.app.*", "com.app.**", "", "a b",
                "com..Cart", "[[X"}) {
            assertThat(list.allows(bad)).as(bad).isFalse();
        }
        assertThat(asked).isEmpty();
    }

    @Test
    void theSuggestionIsTheConfiguredValueWithTheClassAppended() {
        assertThat(ClassAllowList.parse("com.shop.**, com.auth.User").suggestionFor("com.lib.Widget"))
                .isEqualTo("com.shop.**,com.auth.User,com.lib.Widget");
        assertThat(ClassAllowList.parse("").suggestionFor("[Lcom.lib.Widget;")).isEqualTo("com.lib.Widget");
    }

    @Test
    void aRefusalMessageNamesTheSettingAndTheValueAndIsLoggedOncePerClass() {
        ClassAllowList list = ClassAllowList.parse("com.shop.**");
        java.util.logging.Logger logger = java.util.logging.Logger.getLogger(CodecFormat.class.getName());
        java.util.List<String> logged = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.logging.Handler handler = new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord record) {
                logged.add(record.getMessage());
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        logger.addHandler(handler);
        try {
            CodecException first = CodecFormat.notAllowed(list, "com.lib.Widget");
            CodecFormat.notAllowed(list, "com.lib.Widget");
            CodecFormat.notAllowed(list, "com.lib.Other");

            assertThat(first.reason()).isEqualTo(CodecException.Reason.CLASS_NOT_ALLOWED);
            assertThat(first.getMessage()).contains("class [com.lib.Widget]",
                    "allowedClasses=\"com.shop.**,com.lib.Widget\"");
            assertThat(logged).hasSize(2);
            assertThat(logged.get(0)).contains("com.lib.Widget", "allowedClasses=\"com.shop.**,com.lib.Widget\"");
        } finally {
            logger.removeHandler(handler);
        }
    }
}
