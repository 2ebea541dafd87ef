package io.sessioncluster.e2e;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A web application that uses nothing but container-managed FORM login, as an unchanged application would: a
 * security constraint on {@code /secure/*}, the login and error pages, a protected page that prints who is logged in,
 * and a logout page that invalidates the session. JSPs only, so Tomcat compiles it and the test compiles nothing.
 * The users are those of {@link #TOMCAT_USERS}, read by the {@code UserDatabaseRealm} of the distribution's usual
 * {@code server.xml}.
 */
final class LoginWar {

    static final String TOMCAT_USERS = """
            <?xml version="1.0" encoding="UTF-8"?>
            <tomcat-users xmlns="http://tomcat.apache.org/xml" version="1.0">
              <role rolename="user"/>
              <role rolename="manager"/>
              <user username="alice" password="alice-secret" roles="user,manager"/>
              <user username="bob" password="bob-secret" roles="user"/>
            </tomcat-users>
            """;

    private static final String WEB_XML = """
            <?xml version="1.0" encoding="UTF-8"?>
            <web-app xmlns="https://jakarta.ee/xml/ns/jakartaee" version="6.0" metadata-complete="true">
              <security-constraint>
                <web-resource-collection>
                  <web-resource-name>secure</web-resource-name>
                  <url-pattern>/secure/*</url-pattern>
                </web-resource-collection>
                <auth-constraint><role-name>user</role-name></auth-constraint>
              </security-constraint>
              <login-config>
                <auth-method>FORM</auth-method>
                <form-login-config>
                  <form-login-page>/login.jsp</form-login-page>
                  <form-error-page>/error.jsp</form-error-page>
                </form-login-config>
              </login-config>
              <security-role><role-name>user</role-name></security-role>
              <security-role><role-name>manager</role-name></security-role>
            </web-app>
            """;

    private static final String HEADER = JspWar.PLAIN_TEXT;

    private static final String NODE_LINE = "node: <%= System.getProperty(\"session-cluster.node\") %>\n";

    private LoginWar() {
    }

    /** Writes {@code login.war} into {@code dir} (once) and returns it. */
    static Path build(Path dir) {
        Map<String, String> files = new LinkedHashMap<>();
        files.put("WEB-INF/web.xml", WEB_XML);
        files.put("login.jsp", HEADER + "login-page\n" + NODE_LINE);
        files.put("error.jsp", HEADER + "login-failed\n" + NODE_LINE);
        files.put("secure/page.jsp", HEADER + NODE_LINE + """
                user: <%= request.getRemoteUser() %>
                manager: <%= request.isUserInRole("manager") %>
                auth: <%= request.getAuthType() %>
                """);
        files.put("secure/logout.jsp", HEADER + "<% session.invalidate(); %>bye\n" + NODE_LINE);
        return JspWar.write(dir, "login.war", files);
    }
}
