package io.sessioncluster.tomcat;

import io.sessioncluster.core.codec.AttributeCodec;
import io.sessioncluster.core.codec.CodecException;

import org.apache.catalina.realm.GenericPrincipal;

import java.io.IOException;
import java.security.Principal;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;

/**
 * Encodes an {@link AuthState} for the store, as the value of the reserved attribute {@link #ATTRIBUTE}.
 *
 * <p>Tomcat's own types are written field by field ({@link GenericPrincipal}: name, roles, and its user principal
 * and attributes when it has them; the saved request: {@link SavedRequestFormat}), so they need no allow-list entry
 * and read the same on Tomcat 10.1 and 11. A subclass of {@code GenericPrincipal} (the {@code UserDatabaseRealm}'s
 * principal, which computes its roles from the user database) is written as its {@code GenericPrincipal} parts and
 * read back as a plain {@code GenericPrincipal} with those roles, as Tomcat's own replication does through
 * {@code GenericPrincipal.writeReplace}. Any other {@link Principal} class (a custom realm's), and a
 * {@code GenericPrincipal}'s user principal and attributes, go through the application's {@link AttributeCodec}:
 * the allow-list decides, exactly as for an attribute.
 *
 * <pre>
 * state     = version(1) principal authType(string) sessionIdNote(string) flag savedRequest?
 * principal = 0 | 1 name(string) roles(count, string...) flag userPrincipal(bytes)? flag attributes(bytes)?
 *           | 2 codecBytes(bytes)
 * </pre>
 */
final class AuthStateCodec {

    /** The store's attribute name of the auth state; {@code ClusteredSession} refuses it as an application's name. */
    static final String ATTRIBUTE = "#session-cluster.auth";

    private static final int VERSION = 1;
    private static final int NO_PRINCIPAL = 0;
    private static final int GENERIC_PRINCIPAL = 1;
    private static final int CODEC_PRINCIPAL = 2;

    private final AttributeCodec codec;

    AuthStateCodec(AttributeCodec codec) {
        this.codec = codec;
    }

    /**
     * @throws CodecException {@code CLASS_NOT_ALLOWED} or {@code NOT_ENCODABLE} for a principal the codec refuses;
     *                        the parts of a {@code GenericPrincipal} the codec refuses are left out instead (its
     *                        name and roles, what authorization needs, always travel)
     */
    byte[] encode(AuthState state) {
        try {
            AuthBytes.Out out = new AuthBytes.Out();
            out.integer(VERSION);
            writePrincipal(state.principal(), out);
            out.string(state.authType());
            out.string(state.sessionIdNote());
            out.flag(state.savedRequest() != null);
            if (state.savedRequest() != null) {
                SavedRequestFormat.write(state.savedRequest(), out);
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new CodecException(CodecException.Reason.NOT_ENCODABLE, "authentication state: " + e.getMessage(), e);
        }
    }

    /** @throws CodecException {@code CORRUPT} for bytes not in this format, or the codec's own for a principal */
    AuthState decode(byte[] bytes) {
        try {
            AuthBytes.In in = new AuthBytes.In(bytes, 0);
            int version = in.integer();
            if (version != VERSION) {
                throw new AuthBytes.Malformed("format version " + version);
            }
            Principal principal = readPrincipal(in);
            String authType = in.string();
            String sessionIdNote = in.string();
            AuthState state = new AuthState(principal, authType, sessionIdNote,
                    in.flag() ? SavedRequestFormat.read(in) : null);
            in.end();
            return state;
        } catch (IOException e) {
            throw new CodecException(CodecException.Reason.CORRUPT, "authentication state: " + e.getMessage(), e);
        }
    }

    private void writePrincipal(Principal principal, AuthBytes.Out out) throws IOException {
        if (principal == null) {
            out.integer(NO_PRINCIPAL);
        } else if (principal instanceof GenericPrincipal generic) {
            out.integer(GENERIC_PRINCIPAL);
            out.string(generic.getName());
            String[] roles = generic.getRoles();
            out.count(roles.length);
            for (String role : roles) {
                out.string(role);
            }
            Principal user = generic.getUserPrincipal();
            writeOptional(user == generic ? null : encodeOrNull(user), out);
            writeOptional(encodeOrNull(attributes(generic)), out);
        } else {
            out.integer(CODEC_PRINCIPAL);
            out.bytes(codec.encode(principal));
        }
    }

    private Principal readPrincipal(AuthBytes.In in) throws IOException {
        int kind = in.integer();
        switch (kind) {
            case NO_PRINCIPAL:
                return null;
            case GENERIC_PRINCIPAL: {
                String name = in.requiredString();
                int count = in.count();
                String[] roles = new String[count];
                for (int i = 0; i < count; i++) {
                    roles[i] = in.requiredString();
                }
                Principal user = in.flag() ? decodeAs(Principal.class, in.bytes(), "user principal") : null;
                @SuppressWarnings("unchecked")
                Map<String, Object> attributes = in.flag() ? decodeAs(Map.class, in.bytes(), "principal attributes") : null;
                return new GenericPrincipal(name, Arrays.asList(roles), user, null, null, attributes);
            }
            case CODEC_PRINCIPAL:
                return decodeAs(Principal.class, in.bytes(), "principal");
            default:
                throw new AuthBytes.Malformed("principal kind " + kind);
        }
    }

    private <T> T decodeAs(Class<T> type, byte[] bytes, String what) throws AuthBytes.Malformed {
        if (bytes == null) {
            throw new AuthBytes.Malformed("missing " + what);
        }
        Object value = codec.decode(bytes);
        if (!type.isInstance(value)) {
            throw new AuthBytes.Malformed(what + " of class " + (value == null ? "null" : value.getClass().getName()));
        }
        return type.cast(value);
    }

    /** Optional parts of a {@code GenericPrincipal}: left out when absent or refused by the allow-list. */
    private byte[] encodeOrNull(Object value) {
        if (value == null) {
            return null;
        }
        try {
            return codec.encode(value);
        } catch (CodecException e) {
            AuthReplication.warnLeftOut(value.getClass().getName(), e);
            return null;
        }
    }

    private static void writeOptional(byte[] bytes, AuthBytes.Out out) throws IOException {
        out.flag(bytes != null);
        if (bytes != null) {
            out.bytes(bytes);
        }
    }

    private static Map<String, Object> attributes(GenericPrincipal principal) {
        Map<String, Object> attributes = new HashMap<>();
        for (String name : Collections.list(principal.getAttributeNames())) {
            attributes.put(name, principal.getAttribute(name));
        }
        return attributes.isEmpty() ? null : attributes;
    }
}
