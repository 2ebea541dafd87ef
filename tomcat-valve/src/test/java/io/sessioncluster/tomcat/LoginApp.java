package io.sessioncluster.tomcat;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;

import org.apache.catalina.Context;
import org.apache.catalina.authenticator.AuthenticatorBase;
import org.apache.catalina.authenticator.BasicAuthenticator;
import org.apache.catalina.authenticator.FormAuthenticator;
import org.apache.catalina.realm.GenericPrincipal;
import org.apache.catalina.realm.RealmBase;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.descriptor.web.LoginConfig;
import org.apache.tomcat.util.descriptor.web.SecurityCollection;
import org.apache.tomcat.util.descriptor.web.SecurityConstraint;

import java.io.IOException;
import java.security.Principal;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Container-managed security on a {@link TestNode}'s context, as a {@code web.xml} would declare it: a realm with
 * two users, {@code /secure/*} for role {@code user}, FORM ({@code /login}, {@code /login-error}) or BASIC login,
 * and Tomcat's own authenticator valve. {@code /secure/page} answers who the request runs as; {@code /secure/logout}
 * invalidates the session; {@code /open} (unprotected) creates a session.
 */
final class LoginApp {

    static final String PASSWORD = "s3cret-pw";

    private LoginApp() {
    }

    /** FORM login; {@code cache} as the authenticator's attribute. */
    static Consumer<Context> form(boolean cache) {
        return context -> install(context, new FormAuthenticator(), "FORM", cache);
    }

    static Consumer<Context> basic() {
        return context -> install(context, new BasicAuthenticator(), "BASIC", true);
    }

    private static void install(Context context, AuthenticatorBase authenticator, String method, boolean cache) {
        context.setRealm(new UsersRealm());
        LoginConfig login = new LoginConfig(method, "test", "/login", "/login-error");
        context.setLoginConfig(login);
        SecurityCollection secure = new SecurityCollection();
        secure.addPattern("/secure/*");
        SecurityConstraint constraint = new SecurityConstraint();
        constraint.addAuthRole("user");
        constraint.addCollection(secure);
        context.addConstraint(constraint);
        context.addSecurityRole("user");
        context.addSecurityRole("manager");
        authenticator.setCache(cache);
        context.getPipeline().addValve(authenticator); // after the manager's valve, which joined with the manager
        add(context, "page", "/secure/page", (req, resp) -> resp.getWriter().print("user=" + req.getRemoteUser()
                + " manager=" + req.isUserInRole("manager") + " auth=" + req.getAuthType()
                + " query=" + req.getQueryString() + " method=" + req.getMethod()
                + (req.getParameter("item") == null ? "" : " item=" + req.getParameter("item"))));
        add(context, "logout", "/secure/logout", (req, resp) -> {
            req.getSession().invalidate();
            resp.getWriter().print("bye");
        });
        add(context, "login", "/login", (req, resp) -> resp.getWriter().print("login-page"));
        add(context, "loginError", "/login-error", (req, resp) -> resp.getWriter().print("login-error"));
        add(context, "open", "/open", (req, resp) -> {
            HttpSession session = req.getSession();
            resp.getWriter().print("open user=" + req.getRemoteUser() + " new=" + session.isNew());
        });
    }

    private interface Handler {
        void handle(HttpServletRequest request, HttpServletResponse response) throws IOException;
    }

    private static void add(Context context, String name, String pattern, Handler handler) {
        Tomcat.addServlet(context, name, new HttpServlet() {
            private static final long serialVersionUID = 1L;

            @Override
            protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                resp.setContentType("text/plain");
                handler.handle(req, resp);
            }
        });
        context.addServletMappingDecoded(pattern, name);
    }

    /** The credentials of a form post to {@code j_security_check}. */
    static Map<String, String> credentials(String user, String password) {
        return Map.of("j_username", user, "j_password", password);
    }

    /** {@code alice} is a user and a manager, {@code bob} only a user; both have {@link #PASSWORD}. */
    static final class UsersRealm extends RealmBase {
        private static final Map<String, List<String>> ROLES = Map.of(
                "alice", List.of("user", "manager"),
                "bob", List.of("user"));

        @Override
        protected String getPassword(String username) {
            return ROLES.containsKey(username) ? PASSWORD : null;
        }

        @Override
        protected Principal getPrincipal(String username) {
            List<String> roles = ROLES.get(username);
            return roles == null ? null : new GenericPrincipal(username, roles);
        }
    }
}
