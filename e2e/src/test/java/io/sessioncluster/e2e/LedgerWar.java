package io.sessioncluster.e2e;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The fault suite's application: a session holds a ledger, a list that every request appends one value to in place
 * (no {@code setAttribute}), as parallel AJAX requests of one page would; the list is one the application made safe
 * for its own threads ({@code CopyOnWriteArrayList}). JSPs only.
 * <ul>
 *   <li>{@code start.jsp?timeout=s}: a new session with an empty ledger and that idle timeout;</li>
 *   <li>{@code append.jsp?v=value&pause=ms}: appends {@code value@node}, after a pause that widens the
 *       read-change-write window, and answers {@code ok node};</li>
 *   <li>{@code list.jsp}: the ledger, one value per line, or {@code no-session}.</li>
 * </ul>
 */
final class LedgerWar {

    static final String APP = "ledger";

    private LedgerWar() {
    }

    static Path build(Path dir) {
        Map<String, String> files = new LinkedHashMap<>();
        files.put("WEB-INF/web.xml", """
                <?xml version="1.0" encoding="UTF-8"?>
                <web-app xmlns="https://jakarta.ee/xml/ns/jakartaee" version="6.0" metadata-complete="true"/>
                """);
        files.put("start.jsp", JspWar.PLAIN_TEXT + """
                <%
                  session.setAttribute("ledger", new java.util.concurrent.CopyOnWriteArrayList<String>());
                  String timeout = request.getParameter("timeout");
                  if (timeout != null) session.setMaxInactiveInterval(Integer.parseInt(timeout));
                %>started
                """);
        files.put("append.jsp", JspWar.PLAIN_TEXT + """
                <%@ page session="false" %><%
                  jakarta.servlet.http.HttpSession s = request.getSession(false);
                  @SuppressWarnings("unchecked")
                  java.util.List<String> ledger = s == null ? null : (java.util.List<String>) s.getAttribute("ledger");
                  if (ledger == null) {
                    response.setStatus(410);
                    out.print("no-session");
                  } else {
                    String pause = request.getParameter("pause");
                    if (pause != null) Thread.sleep(Long.parseLong(pause));
                    String node = System.getProperty("session-cluster.node");
                    ledger.add(request.getParameter("v") + "@" + node);
                    out.print("ok " + node);
                  }
                %>
                """);
        files.put("list.jsp", JspWar.PLAIN_TEXT + """
                <%@ page session="false" %><%
                  jakarta.servlet.http.HttpSession s = request.getSession(false);
                  Object ledger = s == null ? null : s.getAttribute("ledger");
                  if (ledger == null) {
                    out.print("no-session");
                  } else {
                    for (Object v : (java.util.List<?>) ledger) out.print(v + "\\n");
                  }
                %>
                """);
        return JspWar.write(dir, "ledger.war", files);
    }
}
