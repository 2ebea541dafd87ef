package io.sessioncluster.e2e;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

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

    private static final String HEADER =
            "<%@ page contentType=\"text/plain; charset=UTF-8\" trimDirectiveWhitespaces=\"true\" %>";

    private static final String NODE_LINE = "node: <%= System.getProperty(\"session-cluster.node\") %>\n";

    private LoginWar() {
    }

    /** Writes {@code login.war} into {@code dir} (once) and returns it. */
    static synchronized Path build(Path dir) {
        Path war = dir.resolve("login.war");
        if (Files.exists(war)) {
            return war;
        }
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
        try {
            Files.createDirectories(dir);
            Path partial = dir.resolve("login.war.partial");
            try (OutputStream out = Files.newOutputStream(partial); ZipOutputStream zip = new ZipOutputStream(out)) {
                for (Map.Entry<String, String> file : files.entrySet()) {
                    zip.putNextEntry(new ZipEntry(file.getKey()));
                    zip.write(file.getValue().getBytes(StandardCharsets.UTF_8));
                    zip.closeEntry();
                }
            }
            Files.move(partial, war);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return war;
    }
}
