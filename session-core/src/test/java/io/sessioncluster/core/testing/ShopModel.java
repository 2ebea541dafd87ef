package io.sessioncluster.core.testing;

import java.io.Serializable;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Currency;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;

/**
 * The session of a shop user, shared by the codec tests and the benchmarks: a user profile, a cart of items,
 * and the small values web applications keep beside them. The graph has what real sessions have and codecs get
 * wrong: shared references (billing and shipping address are one object, the session map and the profile
 * hold the same cart), cycles (cart to owner, item to cart), enums (one with a constant body), a record,
 * java.time values, BigDecimal, UUID, and immutable JDK collections.
 *
 * <p>Allow-list pattern for all of it: {@link #ALLOW}. Everything is deterministic, so sizes are stable.
 */
public final class ShopModel {

    /** The allow-list entry that admits every class of this model. */
    public static final String ALLOW = ShopModel.class.getName();

    private ShopModel() {
    }

    public enum Role { CUSTOMER, PREMIUM, SUPPORT }

    public enum Category {
        BOOKS,
        /** A constant with a body is an anonymous subclass: allow-lists and codecs must judge its enum. */
        ELECTRONICS {
            @Override
            public boolean fragile() {
                return true;
            }
        },
        GROCERY, TOYS;

        public boolean fragile() {
            return false;
        }
    }

    public record Money(BigDecimal amount, Currency currency) implements Serializable {
    }

    public static final class Address implements Serializable {
        private static final long serialVersionUID = 1L;
        private String street;
        private String city;
        private String postalCode;
        private String countryCode;

        public Address() {
        }

        public Address(String street, String city, String postalCode, String countryCode) {
            this.street = street;
            this.city = city;
            this.postalCode = postalCode;
            this.countryCode = countryCode;
        }

        public String city() {
            return city;
        }
    }

    public static final class UserProfile implements Serializable {
        private static final long serialVersionUID = 1L;
        private long id;
        private String username;
        private String email;
        private String displayName;
        private Locale locale;
        private LocalDate birthDate;
        private Instant lastLogin;
        private Set<Role> roles;
        private Address shipping;
        private Address billing;
        private List<String> recentSearches;
        private Map<String, String> preferences;
        private Cart cart;

        public Address shipping() {
            return shipping;
        }

        public Address billing() {
            return billing;
        }

        public Cart cart() {
            return cart;
        }

        public Set<Role> roles() {
            return roles;
        }
    }

    public static final class Cart implements Serializable {
        private static final long serialVersionUID = 1L;
        private UUID id;
        private UserProfile owner;
        private final List<CartItem> items = new ArrayList<>();
        private Money total;
        private ZonedDateTime updatedAt;
        private String couponCode;

        public UserProfile owner() {
            return owner;
        }

        public List<CartItem> items() {
            return items;
        }

        public Money total() {
            return total;
        }
    }

    public static final class CartItem implements Serializable {
        private static final long serialVersionUID = 1L;
        private String sku;
        private String name;
        private int quantity;
        private Money unitPrice;
        private Category category;
        private LocalDateTime addedAt;
        private List<String> tags;
        private Cart cart;

        public Cart cart() {
            return cart;
        }

        public Category category() {
            return category;
        }
    }

    /** A user whose cart holds {@code items} items, with the cycles and shared references described above. */
    public static UserProfile user(int items) {
        Random random = new Random(42);
        UserProfile user = new UserProfile();
        user.id = 1_000_417L;
        user.username = "jdoe";
        user.email = "jane.doe@example.com";
        user.displayName = "Jane Doe";
        user.locale = Locale.GERMANY;
        user.birthDate = LocalDate.of(1987, 3, 14);
        user.lastLogin = Instant.parse("2024-05-01T09:15:30.123Z");
        user.roles = EnumSet.of(Role.CUSTOMER, Role.PREMIUM);
        user.shipping = new Address("Hauptstraße 12", "Berlin", "10115", "DE");
        user.billing = user.shipping;
        user.recentSearches = new ArrayList<>(List.of("usb-c cable", "kafka book", "espresso beans", "lego technic"));
        user.preferences = new LinkedHashMap<>(Map.of("theme", "dark", "newsletter", "weekly", "currency", "EUR"));

        Cart cart = new Cart();
        cart.id = new UUID(0x5EC7_10A5L, 0xCA27L);
        cart.owner = user;
        cart.updatedAt = ZonedDateTime.of(2024, 5, 1, 11, 2, 0, 0, ZoneId.of("Europe/Berlin"));
        cart.couponCode = "SPRING24";
        Currency euro = Currency.getInstance("EUR");
        Category[] categories = Category.values();
        BigDecimal total = BigDecimal.ZERO;
        for (int i = 0; i < items; i++) {
            CartItem item = new CartItem();
            item.sku = String.format("SKU-%06d", random.nextInt(1_000_000));
            item.name = "Item " + (i + 1);
            item.quantity = 1 + random.nextInt(4);
            item.unitPrice = new Money(BigDecimal.valueOf(99 + random.nextInt(9_900), 2), euro);
            item.category = categories[i % categories.length];
            item.addedAt = LocalDateTime.of(2024, 4, 30, 20, 0).plusMinutes(7L * i);
            item.tags = List.of("new", "sale");
            item.cart = cart;
            cart.items.add(item);
            total = total.add(item.unitPrice.amount().multiply(BigDecimal.valueOf(item.quantity)));
        }
        cart.total = new Money(total, euro);
        user.cart = cart;
        return user;
    }

    /** The attributes of a whole session as one map: the user, the same cart again, and small values. */
    public static Map<String, Object> session(int items) {
        UserProfile user = user(items);
        Map<String, Object> session = new LinkedHashMap<>();
        session.put("user", user);
        session.put("cart", user.cart);
        session.put("csrfToken", "b2f1c6e0-5a7d-4c1e-9f7a-0d3e8b6a4c21");
        session.put("visits", 17);
        session.put("lastPage", "/checkout/shipping");
        session.put("loginTime", 1_714_554_930_123L);
        session.put("flash", List.of("Item added to cart"));
        return session;
    }
}
