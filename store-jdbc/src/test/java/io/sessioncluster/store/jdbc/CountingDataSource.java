package io.sessioncluster.store.jdbc;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import javax.sql.DataSource;

/**
 * Wraps a data source to count what the store sends: statements executed (a batch counts once per round trip and
 * its rows are counted apart), commits, bytes of bound parameters, and bytes of SQL text prepared, and the SQL text
 * itself.
 */
final class CountingDataSource {

    final AtomicLong executions = new AtomicLong();
    final AtomicLong batchRows = new AtomicLong();
    final AtomicLong commits = new AtomicLong();
    final AtomicLong parameterBytes = new AtomicLong();
    final AtomicLong sqlBytes = new AtomicLong();
    final List<String> prepared = new CopyOnWriteArrayList<>();
    private final DataSource target;

    CountingDataSource(DataSource target) {
        this.target = target;
    }

    void reset() {
        executions.set(0);
        batchRows.set(0);
        commits.set(0);
        parameterBytes.set(0);
        sqlBytes.set(0);
        prepared.clear();
    }

    DataSource dataSource() {
        return wrap(DataSource.class, target, (method, args, result) -> {
            if (method.getName().equals("getConnection")) {
                return wrap(Connection.class, result, this::onConnection);
            }
            return result;
        });
    }

    private Object onConnection(Method method, Object[] args, Object result) {
        switch (method.getName()) {
            case "prepareStatement" -> {
                sqlBytes.addAndGet(((String) args[0]).getBytes(StandardCharsets.UTF_8).length);
                prepared.add((String) args[0]);
                return wrap(PreparedStatement.class, result, this::onStatement);
            }
            case "createStatement" -> {
                return wrap(Statement.class, result, this::onStatement);
            }
            case "commit" -> commits.incrementAndGet();
            default -> {
            }
        }
        return result;
    }

    private Object onStatement(Method method, Object[] args, Object result) {
        String name = method.getName();
        if (name.startsWith("execute")) {
            executions.incrementAndGet();
        } else if (name.equals("addBatch")) {
            batchRows.incrementAndGet();
        } else if (name.startsWith("set") && args != null && args.length == 2 && args[0] instanceof Integer) {
            Object value = args[1];
            if (value instanceof byte[] bytes) {
                parameterBytes.addAndGet(bytes.length);
            } else if (value instanceof String text) {
                parameterBytes.addAndGet(text.getBytes(StandardCharsets.UTF_8).length);
            } else if (value instanceof Long) {
                parameterBytes.addAndGet(8);
            } else if (value instanceof Integer) {
                parameterBytes.addAndGet(4);
            }
        }
        return result;
    }

    @FunctionalInterface
    private interface After {
        Object apply(Method method, Object[] args, Object result) throws Exception;
    }

    private static <T> T wrap(Class<T> type, Object target, After after) {
        InvocationHandler handler = (proxy, method, args) -> {
            Object result;
            try {
                result = method.invoke(target, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
            return after.apply(method, args, result);
        };
        return type.cast(Proxy.newProxyInstance(CountingDataSource.class.getClassLoader(), new Class<?>[] {type}, handler));
    }
}
